use std::sync::atomic::{AtomicU64, Ordering};

/// What the workers have done, read by the server's status page.
#[derive(Debug, Default)]
pub struct Stats {
    done: AtomicU64,
}

impl Stats {
    pub fn finished(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    pub fn done(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }
}
