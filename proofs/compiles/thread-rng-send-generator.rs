// Claim: a task that needs random numbers across its `.await`s can own a generator that is
// `Send`, seeded once from the thread's generator: `StdRng` (ChaCha, like `rand::rng()`'s)
// or `SmallRng` (small and fast, not for secrets). Either one lives in the task's future, so
// the future grows by the generator's size: 320 bytes for `StdRng` and 32 for `SmallRng` on
// a 64-bit target with rand 0.9.5, against 8 for the `ThreadRng` handle.
//
// Book: "Thread-local random numbers" (src/other/thread-rng.md).

use std::time::Duration;

use rand::rngs::{SmallRng, StdRng, ThreadRng};
use rand::{Rng, SeedableRng};

/// Polls a job `rounds` times, with a random pause of 50 to 150 ms before each poll.
// ANCHOR: std_rng
async fn poll_with_jitter(rounds: u32) -> Vec<u64> {
    let mut rng = StdRng::from_rng(&mut rand::rng()); // seeded once; `Send`
    let mut pauses = Vec::new();
    for _ in 0..rounds {
        let pause = rng.random_range(50..150);
        // `rng` is alive at this `.await`.
        tokio::time::sleep(Duration::from_millis(pause)).await;
        pauses.push(pause);
    }
    pauses
}
// ANCHOR_END: std_rng

/// The same with the small generator.
async fn poll_with_small_jitter(rounds: u32) -> Vec<u64> {
    let mut rng = SmallRng::from_rng(&mut rand::rng());
    let mut pauses = Vec::new();
    for _ in 0..rounds {
        let pause = rng.random_range(50..150);
        tokio::time::sleep(Duration::from_millis(pause)).await;
        pauses.push(pause);
    }
    pauses
}

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // `tokio::spawn` demands `Send` futures: that these compile is the proof.
    let pauses = tokio::spawn(poll_with_jitter(5)).await.unwrap();
    assert!(pauses.len() == 5 && pauses.iter().all(|p| (50..150).contains(p)));
    let pauses = tokio::spawn(poll_with_small_jitter(5)).await.unwrap();
    assert!(pauses.len() == 5 && pauses.iter().all(|p| (50..150).contains(p)));

    // What each choice adds to the future that owns it.
    if cfg!(target_pointer_width = "64") {
        assert_eq!(size_of::<StdRng>(), 320);
        assert_eq!(size_of::<SmallRng>(), 32);
        assert_eq!(size_of::<ThreadRng>(), 8);
    }
}
