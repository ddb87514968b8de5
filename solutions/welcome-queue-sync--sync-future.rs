// # The job queue that asked for Sync
//
// Story: after a signup the app answers at once and queues the welcome mail as a
// background job; a few workers run the queued jobs. The queue is shared by every handler
// and every worker, on every thread, and whoever wrote it reasoned: "shared between
// threads, so its jobs must be `Send + Sync`".
//
// What is wrong: it does not compile. The welcome job "cannot be shared between threads
// safely": it awaits the mail client's boxed future, which is `Send` and not `Sync`. Real
// routers and handler types have asked for `Sync` futures the same way:
// https://github.com/transact-rs/sqlx/issues/3757 and
// https://github.com/dtolnay/async-trait/issues/219.
//
// What to do: make it compile, with the mails still sent by the queue's workers.
//
// Book: "Futures that must be Sync" (src/culprits/sync-futures.md).

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use checker::background::{MailClient, WORKERS};
use sync_wrapper::SyncFuture;
use tokio::task::JoinSet;

// ANCHOR: queue
/// Work to do in the background, after the response has gone out.
type Job = Pin<Box<dyn Future<Output = ()> + Send + Sync>>;

/// The app's background jobs, shared by every handler and run by a few workers.
#[derive(Clone, Default)]
struct JobQueue {
    jobs: Arc<Mutex<VecDeque<Job>>>,
}

impl JobQueue {
    /// Queues a job. The queue is shared between threads, so its jobs must be `Sync` too.
    fn submit<F>(&self, job: F)
    where
        F: Future<Output = ()> + Send + Sync + 'static,
    {
        self.jobs.lock().unwrap().push_back(Box::pin(job));
    }

    /// Runs the queued jobs, `workers` at a time, until the queue is empty.
    async fn run(&self, workers: usize) {
        let mut tasks = JoinSet::new();
        for _ in 0..workers {
            let jobs = Arc::clone(&self.jobs);
            tasks.spawn(async move {
                loop {
                    let next = jobs.lock().unwrap().pop_front();
                    let Some(job) = next else { return };
                    job.await;
                }
            });
        }
        tasks.join_all().await;
    }
}
// ANCHOR_END: queue

// ANCHOR: welcome
/// Queues the welcome mail of a new user; the signup handler does not wait for it.
fn queue_welcome(queue: &JobQueue, mail: Arc<MailClient>, address: String) {
    // The queue's `Sync` bound is not ours to change: wrap the job in a `SyncFuture`,
    // which is `Sync` because it lets nobody poll it through a shared reference.
    queue.submit(SyncFuture::new(async move {
        if let Err(err) = mail.send_welcome(&address).await {
            eprintln!("no welcome mail for {address}: {err}");
        }
    }));
}
// ANCHOR_END: welcome

// ---------------------------------------------------------------------------------------
// The checker's part: nine users sign up, then the workers run the queue. No need to
// change it.

async fn signups(mail: Arc<MailClient>, addresses: Vec<String>) {
    let queue = JobQueue::default();
    for address in addresses {
        queue_welcome(&queue, Arc::clone(&mail), address);
    }
    queue.run(WORKERS).await;
}

fn main() {
    checker::background::check(signups);
}
