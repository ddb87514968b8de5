use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Notify;

/// A queue of job names, shared by the server and the workers.
#[derive(Clone, Default)]
pub struct Queue {
    names: Arc<Mutex<VecDeque<String>>>,
    ready: Arc<Notify>,
}

impl Queue {
    pub fn push(&self, name: &str) {
        self.names.lock().unwrap().push_back(name.to_owned());
        self.ready.notify_one();
    }

    /// The next job's name, waiting for one if there is none yet.
    pub async fn next(&self) -> String {
        loop {
            if let Some(name) = self.names.lock().unwrap().pop_front() {
                return name;
            }
            self.ready.notified().await;
        }
    }

    /// Waits until the queue is empty, or gives up.
    pub async fn drain(&self, patience: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + patience;
        while tokio::time::Instant::now() < deadline {
            if self.names.lock().unwrap().is_empty() {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        false
    }
}
