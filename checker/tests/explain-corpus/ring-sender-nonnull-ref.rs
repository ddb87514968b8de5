// Reproduces: https://github.com/brunocodutra/ring-channel/issues/69 — a struct holding a channel sender built on a NonNull control block is used by reference inside a spawned task; NonNull makes it !Sync, so the reference is not Send.
// expect: kind=raw-pointer shape=held-across-await culprit=`NonNull<ControlBlock>` value=publisher
// expect-line: await=57
use std::ptr::NonNull;
use std::time::Duration;

struct ControlBlock {
    sent: u64,
}

/// A hand-rolled ring sender: one heap control block, reached through a raw pointer.
struct RingSender {
    control: NonNull<ControlBlock>,
}

// The sender may move to another thread with its control block...
unsafe impl Send for RingSender {}

impl RingSender {
    fn new() -> Self {
        RingSender {
            control: NonNull::from(Box::leak(Box::new(ControlBlock { sent: 0 }))),
        }
    }

    fn send(&mut self) -> u64 {
        // SAFETY: the control block is leaked, so it outlives every sender, and only this
        // sender writes to it.
        unsafe {
            self.control.as_mut().sent += 1;
            self.control.as_ref().sent
        }
    }

    fn sent(&self) -> u64 {
        // SAFETY: as above.
        unsafe { self.control.as_ref().sent }
    }
}

struct Telemetry {
    tx: RingSender,
}

async fn flush() {
    tokio::time::sleep(Duration::from_millis(1)).await;
}

#[tokio::main]
async fn main() {
    let mut telemetry = Telemetry {
        tx: RingSender::new(),
    };
    let task = tokio::spawn(async move {
        telemetry.tx.send();
        let publisher = &telemetry;
        flush().await;
        publisher.tx.sent()
    });
    println!("sent {}", task.await.unwrap());
}
