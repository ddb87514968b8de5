// Reproduces: https://github.com/lightningdevkit/rust-lightning/issues/2103 — a node's event processor takes a read guard on its consistency lock and awaits the user's handler for each event with the guard alive.
// expect: kind=std-rwlock-guard shape=held-across-await culprit=`RwLockReadGuard<'_, ()>` value=_consistency
// expect-line: await=28
use std::future::Future;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

#[derive(Debug, Clone)]
enum Event {
    PaymentReceived { amount_msat: u64 },
    ChannelClosed { id: u32 },
}

struct Node {
    total_consistency_lock: RwLock<()>,
    pending: Mutex<Vec<Event>>,
}

impl Node {
    async fn process_pending_events<F, Fut>(self: Arc<Self>, handler: F)
    where
        F: Fn(Event) -> Fut,
        Fut: Future<Output = ()>,
    {
        let _consistency = self.total_consistency_lock.read().unwrap();
        let events: Vec<Event> = std::mem::take(&mut *self.pending.lock().unwrap());
        for event in events {
            handler(event).await;
        }
    }
}

async fn persist(event: Event) {
    tokio::time::sleep(Duration::from_millis(1)).await;
    println!("handled {event:?}");
}

#[tokio::main]
async fn main() {
    let node = Arc::new(Node {
        total_consistency_lock: RwLock::new(()),
        pending: Mutex::new(vec![
            Event::PaymentReceived {
                amount_msat: 42_000,
            },
            Event::ChannelClosed { id: 7 },
        ]),
    });
    let background = tokio::spawn(Arc::clone(&node).process_pending_events(persist));
    background.await.unwrap();
}
