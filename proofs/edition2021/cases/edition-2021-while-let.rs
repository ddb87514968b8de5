// Claim: in edition 2021, as in 2024 (exercises/render-while-let.rs), the temporaries of
// a `while let` condition live through the loop body: the guard that `pop` was called
// through is alive at the `.await` in the body, and `tokio::spawn` refuses the future.
//
// Book: "What edition 2024 changed" (src/traps/edition-2024.md).

use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Stands in for a slow render.
async fn render(job: u32) {
    tokio::time::sleep(Duration::from_millis(job.into())).await;
}

async fn drain(queue: Arc<Mutex<Vec<u32>>>) {
    while let Some(job) = queue.lock().unwrap().pop() {
        render(job).await;
    }
}

#[tokio::main]
async fn main() {
    let queue = Arc::new(Mutex::new(vec![1, 2, 3]));
    tokio::spawn(drain(queue)).await.unwrap();
}
