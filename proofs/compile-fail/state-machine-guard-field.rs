// Claim: the hand-written twin of an `async fn` that keeps a guard alive at its `.await`
// has the guard as a field of its paused state, and that field alone makes the whole type
// `!Send`: `tokio::spawn` refuses it, and the compiler says the guard "appears within the
// type". The same enum, polled by hand, runs in proofs/compiles/state-machine-by-hand.rs.
//
// Book: "What an async fn becomes" (src/understanding/state-machine.md).

use std::future::Future;
use std::mem;
use std::pin::Pin;
use std::sync::{Mutex, MutexGuard};
use std::task::{Context, Poll};

/// Stands in for a network call: not ready the first time it is polled, ready the second.
#[derive(Default)]
struct Pause {
    polled: bool,
}

impl Future for Pause {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.polled {
            Poll::Ready(())
        } else {
            self.polled = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

// ANCHOR: holding_states
enum VisitHolding<'a> {
    Start {
        visits: &'a Mutex<u64>,
        name: String,
    },
    Paused {
        name: String,
        count: MutexGuard<'a, u64>,
        pause: Pause,
    },
    Done,
}
// ANCHOR_END: holding_states

impl Future for VisitHolding<'_> {
    type Output = String;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<String> {
        loop {
            match mem::replace(&mut *self, VisitHolding::Done) {
                VisitHolding::Start { visits, name } => {
                    let mut count = visits.lock().unwrap();
                    *count += 1;
                    let pause = Pause::default();
                    *self = VisitHolding::Paused { name, count, pause };
                }
                VisitHolding::Paused {
                    name,
                    count,
                    mut pause,
                } => {
                    if Pin::new(&mut pause).poll(cx).is_pending() {
                        *self = VisitHolding::Paused { name, count, pause };
                        return Poll::Pending;
                    }
                    let greeting = format!("{name} is visitor number {}", *count);
                    return Poll::Ready(greeting);
                }
                VisitHolding::Done => panic!("polled after it finished"),
            }
        }
    }
}

static VISITS: Mutex<u64> = Mutex::new(0);

#[tokio::main]
async fn main() {
    // ANCHOR: spawn
    let visit = VisitHolding::Start {
        visits: &VISITS,
        name: "Ana".to_owned(),
    };
    let greeting = tokio::spawn(visit).await.unwrap();
    // ANCHOR_END: spawn
    println!("{greeting}");
}
