// Reproduces: https://github.com/microsoft/RustTraining/issues/63 — an async helper that holds a std MutexGuard across an await compiles on its own; the error appears in the spawned task that awaits it.
// expect: kind=std-mutex-guard shape=held-across-await culprit=`MutexGuard<'_, Vec<String>>` value=log
// expect-line: await=14
use std::sync::{Arc, Mutex};
use std::time::Duration;

async fn write_audit(io_delay: Duration) {
    tokio::time::sleep(io_delay).await;
}

async fn record(entries: &Mutex<Vec<String>>, who: &str) {
    let mut log = entries.lock().unwrap();
    log.push(format!("{who}: start"));
    write_audit(Duration::from_millis(1)).await;
    log.push(format!("{who}: done"));
}

#[tokio::main]
async fn main() {
    let entries = Arc::new(Mutex::new(Vec::new()));
    let worker = tokio::spawn({
        let entries = Arc::clone(&entries);
        async move {
            record(&entries, "alice").await;
        }
    });
    worker.await.unwrap();
    println!("{:?}", entries.lock().unwrap());
}
