//! What one lock-and-unlock costs, for the locks the proxy's variants use.
//!
//! * `uncontended`: one thread, nobody else touches the lock. The price every request pays.
//! * `contended`: a second thread does the same thing to the same lock, all the time. On two
//!   cores this is as bad as it gets: every acquisition may find the lock taken or its cache
//!   line on the other core.
//!
//! `cargo xtask lab` runs these with short warm-up and measurement times and copies the
//! estimates into lab/results/locks.json; `cargo bench --bench locks` runs them alone.

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use criterion::{
    BenchmarkGroup, Criterion, criterion_group, criterion_main, measurement::WallTime,
};
use lab::locks::{CONTENDED, UNCONTENDED};

/// The shared values, one per lock kind, each behind an `Arc` so a contender can share it.
struct Locks {
    std_mutex: Arc<Mutex<u64>>,
    parking_lot_mutex: Arc<parking_lot::Mutex<u64>>,
    tokio_mutex: Arc<tokio::sync::Mutex<u64>>,
    std_rwlock: Arc<RwLock<u64>>,
    arc_swap: Arc<ArcSwap<u64>>,
}

impl Locks {
    fn new() -> Self {
        Self {
            std_mutex: Arc::new(Mutex::new(0)),
            parking_lot_mutex: Arc::new(parking_lot::Mutex::new(0)),
            tokio_mutex: Arc::new(tokio::sync::Mutex::new(0)),
            std_rwlock: Arc::new(RwLock::new(0)),
            arc_swap: Arc::new(ArcSwap::from_pointee(0)),
        }
    }
}

// One operation per lock: take it, touch the value, let it go.

fn std_mutex(lock: &Mutex<u64>) {
    *black_box(lock).lock().unwrap() += 1;
}

fn parking_lot_mutex(lock: &parking_lot::Mutex<u64>) {
    *black_box(lock).lock() += 1;
}

async fn tokio_mutex(lock: &tokio::sync::Mutex<u64>) {
    *black_box(lock).lock().await += 1;
}

fn std_rwlock_read(lock: &RwLock<u64>) -> u64 {
    *black_box(lock).read().unwrap()
}

fn arc_swap_load(lock: &ArcSwap<u64>) -> u64 {
    **black_box(lock).load()
}

fn current_thread_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a current-thread runtime needs no resources that can be missing")
}

/// Runs `iters` tokio lock operations inside one `block_on`, so the runtime's entry cost
/// is not counted against the lock.
fn time_tokio_mutex(
    runtime: &tokio::runtime::Runtime,
    lock: &tokio::sync::Mutex<u64>,
    iters: u64,
) -> Duration {
    runtime.block_on(async {
        let start = Instant::now();
        for _ in 0..iters {
            tokio_mutex(lock).await;
        }
        start.elapsed()
    })
}

fn bench_all(group: &mut BenchmarkGroup<'_, WallTime>, locks: &Locks) {
    group.bench_function("std-mutex", |b| b.iter(|| std_mutex(&locks.std_mutex)));
    group.bench_function("parking-lot-mutex", |b| {
        b.iter(|| parking_lot_mutex(&locks.parking_lot_mutex))
    });
    let runtime = current_thread_runtime();
    group.bench_function("tokio-mutex", |b| {
        b.iter_custom(|iters| time_tokio_mutex(&runtime, &locks.tokio_mutex, iters))
    });
    group.bench_function("std-rwlock-read", |b| {
        b.iter(|| std_rwlock_read(&locks.std_rwlock))
    });
    group.bench_function("arc-swap-load", |b| {
        b.iter(|| arc_swap_load(&locks.arc_swap))
    });
}

fn uncontended(c: &mut Criterion) {
    let locks = Locks::new();
    let mut group = c.benchmark_group(UNCONTENDED);
    bench_all(&mut group, &locks);
    group.finish();
}

fn contended(c: &mut Criterion) {
    let locks = Locks::new();
    let mut group = c.benchmark_group(CONTENDED);
    // Each contender hammers one lock only while that lock is being measured.
    {
        let lock = Arc::clone(&locks.std_mutex);
        let _contender = Contender::start(move || std_mutex(&lock));
        group.bench_function("std-mutex", |b| b.iter(|| std_mutex(&locks.std_mutex)));
    }
    {
        let lock = Arc::clone(&locks.parking_lot_mutex);
        let _contender = Contender::start(move || parking_lot_mutex(&lock));
        group.bench_function("parking-lot-mutex", |b| {
            b.iter(|| parking_lot_mutex(&locks.parking_lot_mutex))
        });
    }
    {
        let _contender = Contender::start_tokio(Arc::clone(&locks.tokio_mutex));
        let runtime = current_thread_runtime();
        group.bench_function("tokio-mutex", |b| {
            b.iter_custom(|iters| time_tokio_mutex(&runtime, &locks.tokio_mutex, iters))
        });
    }
    {
        let lock = Arc::clone(&locks.std_rwlock);
        let _contender = Contender::start(move || {
            std_rwlock_read(&lock);
        });
        group.bench_function("std-rwlock-read", |b| {
            b.iter(|| std_rwlock_read(&locks.std_rwlock))
        });
    }
    {
        let lock = Arc::clone(&locks.arc_swap);
        let _contender = Contender::start(move || {
            arc_swap_load(&lock);
        });
        group.bench_function("arc-swap-load", |b| {
            b.iter(|| arc_swap_load(&locks.arc_swap))
        });
    }
    group.finish();
}

/// A thread that repeats an operation until it is dropped.
struct Contender {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Contender {
    fn start(mut operation: impl FnMut() + Send + 'static) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            while !flag.load(Ordering::Relaxed) {
                operation();
            }
        });
        Self {
            stop,
            thread: Some(thread),
        }
    }

    /// The tokio mutex is contended from a second runtime on its own thread, as two worker
    /// threads of one multi-threaded runtime would contend it.
    fn start_tokio(lock: Arc<tokio::sync::Mutex<u64>>) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            current_thread_runtime().block_on(async {
                while !flag.load(Ordering::Relaxed) {
                    tokio_mutex(&lock).await;
                }
            });
        });
        Self {
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for Contender {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

criterion_group!(benches, uncontended, contended);
criterion_main!(benches);
