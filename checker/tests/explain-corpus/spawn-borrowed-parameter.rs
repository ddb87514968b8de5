// Reproduces: https://github.com/async-rs/async-std/issues/488 — a function spawns work on a reference it was given (there a borrowed `&str` host); the task must be 'static, so the borrow "escapes the function body" (E0521).
// expect: kind=none shape=not-static value=jobs
use std::time::Duration;

struct Job {
    name: String,
}

async fn run_all(jobs: &[Job]) {
    for job in jobs {
        tokio::time::sleep(Duration::from_millis(1)).await;
        println!("{}", job.name);
    }
}

fn start(jobs: &[Job]) {
    tokio::spawn(async move { run_all(jobs).await });
}

#[tokio::main]
async fn main() {
    let jobs = vec![Job { name: "nightly".into() }];
    start(&jobs);
}
