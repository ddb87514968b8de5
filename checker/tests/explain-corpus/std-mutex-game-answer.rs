// Reproduces: https://github.com/awestlake87/pyo3-asyncio/issues/71 — a game session behind a std Mutex whose async method is awaited through the guard inside a spawned task.
// expect: kind=std-mutex-guard shape=held-across-await culprit=`MutexGuard<'_, Game>` value=game
// expect-line: await=34
use std::sync::{Arc, Mutex};
use std::time::Duration;

struct Game {
    round: u32,
    score: u32,
}

impl Game {
    /// Checks an answer against the quiz server and moves to the next round.
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
    let answers = ["paris", "1969", "h2o"];
    let mut tasks = Vec::new();
    for answer in answers {
        let session = Arc::clone(&session);
        tasks.push(tokio::spawn(async move {
            let mut game = session.lock().unwrap();
            game.answer(answer).await
        }));
    }
    for task in tasks {
        println!("right: {}", task.await.unwrap());
    }
}
