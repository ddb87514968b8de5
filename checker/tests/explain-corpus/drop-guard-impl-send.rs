// Reproduces: https://github.com/rust-lang/rust/issues/115437 — a fn returning `impl Future + Send` locks a std Mutex, writes through the guard, drops it explicitly, then awaits; rustc 1.95 still counts the guard as alive.
// expect: kind=std-mutex-guard shape=dropped-after-borrow culprit=`MutexGuard<'_, u64>` value=g
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn bump(counter: Arc<Mutex<u64>>) -> impl Future<Output = u64> + Send {
    async move {
        let mut g = counter.lock().unwrap();
        *g += 1;
        let seen = *g;
        drop(g);
        tokio::time::sleep(Duration::from_millis(1)).await;
        seen
    }
}

#[tokio::main]
async fn main() {
    let c = Arc::new(Mutex::new(0));
    let a = tokio::spawn(bump(c.clone()));
    let b = tokio::spawn(bump(c.clone()));
    println!("{} {}", a.await.unwrap(), b.await.unwrap());
}
