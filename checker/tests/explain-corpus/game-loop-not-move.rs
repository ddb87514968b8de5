// Reproduces: https://github.com/rust-lang/rust/issues/78938 — a non-move async block handed to Runtime::spawn borrows a local Arc to clone it inside: E0373, the task may outlive the function.
// expect: kind=none shape=not-static value=room
use std::sync::{Arc, Mutex};
use std::time::Duration;

async fn game_loop(room: Arc<Mutex<Vec<String>>>) {
    for turn in 0..3 {
        room.lock().unwrap().push(format!("turn {turn}"));
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

fn open_room(runtime: &tokio::runtime::Runtime) -> tokio::task::JoinHandle<()> {
    let room = Arc::new(Mutex::new(Vec::new()));
    runtime.spawn(async {
        game_loop(Arc::clone(&room)).await;
    })
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let game = open_room(&runtime);
    runtime.block_on(game).unwrap();
}
