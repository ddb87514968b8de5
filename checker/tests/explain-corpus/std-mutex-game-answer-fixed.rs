// Reproduces: https://github.com/awestlake87/pyo3-asyncio/issues/71 — the fix the maintainer recommended: the game lives behind tokio's Mutex, whose guard may be held across the await.
// expect: compiles
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Mutex;

struct Game {
    round: u32,
    score: u32,
}

impl Game {
    async fn answer(&mut self, answer: &str) -> bool {
        tokio::time::sleep(Duration::from_millis(5)).await;
        let right = answer.len() as u32 % 2 == self.round % 2;
        if right {
            self.score += 1;
        }
        self.round += 1;
        right
    }
}

#[tokio::main]
async fn main() {
    let session = Arc::new(Mutex::new(Game { round: 0, score: 0 }));
    let mut tasks = Vec::new();
    for answer in ["paris", "1969", "h2o"] {
        let session = Arc::clone(&session);
        tasks.push(tokio::spawn(async move {
            let mut game = session.lock().await;
            game.answer(answer).await
        }));
    }
    for task in tasks {
        println!("right: {}", task.await.unwrap());
    }
    println!("score {}", session.lock().await.score);
}
