// Reproduces: https://github.com/rust-lang/rust/issues/151942 — a poller drops its std MutexGuard, awaits, and re-locks into the same variable each iteration; the compiler still sees the guard alive across the await.
// expect: kind=std-mutex-guard shape=dropped-after-borrow culprit=`MutexGuard<'_, Vec<u32>>` value=queue
use std::sync::{Arc, Mutex};
use std::time::Duration;

async fn tick() {
    tokio::time::sleep(Duration::from_millis(1)).await;
}

async fn drain(shared: Arc<Mutex<Vec<u32>>>) -> u32 {
    let mut total = 0;
    let mut queue = shared.lock().unwrap();
    loop {
        total += queue.drain(..).sum::<u32>();
        if total > 10 {
            return total;
        }
        drop(queue);
        tick().await;
        queue = shared.lock().unwrap();
        queue.push(total + 1);
    }
}

#[tokio::main]
async fn main() {
    let shared = Arc::new(Mutex::new(vec![1, 2]));
    println!("{}", tokio::spawn(drain(shared)).await.unwrap());
}
