use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::db::Db;

/// What every handler shares: the database, a cache of rendered pages and counters.
#[derive(Clone)]
pub struct AppState {
    pub db: Arc<Db>,
    pub cache: Arc<Mutex<HashMap<u64, String>>>,
    pub stats: Arc<Stats>,
}

#[derive(Default)]
pub struct Stats {
    pub requests: AtomicU64,
}

impl Stats {
    pub fn hit(&self) -> u64 {
        self.requests.fetch_add(1, Ordering::Relaxed) + 1
    }
}

impl AppState {
    pub fn new(name: &str) -> Self {
        AppState {
            db: Arc::new(Db::open(name)),
            cache: Arc::default(),
            stats: Arc::default(),
        }
    }
}
