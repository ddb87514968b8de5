// Reproduces: https://github.com/PrismaPhonic/tokio-context/issues/3 — a context's `done()` returns `Pin<Box<dyn Future + '_>>` without + Send, and a spawned worker awaits it.
// expect: kind=boxed-future shape=awaits-non-send-future culprit=`dyn Future<Output = ()>` value=ctx.done()
// expect-line: await=29
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use tokio::sync::broadcast;

struct Context {
    cancel: broadcast::Receiver<()>,
}

impl Context {
    /// Resolves when the parent cancels.
    fn done(&mut self) -> Pin<Box<dyn Future<Output = ()> + '_>> {
        Box::pin(async move {
            let _ = self.cancel.recv().await;
        })
    }
}

#[tokio::main]
async fn main() {
    let (cancel, rx) = broadcast::channel(1);
    let mut ctx = Context { cancel: rx };
    let worker = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(1)).await;
        ctx.done().await;
        println!("cancelled");
    });
    cancel.send(()).unwrap();
    worker.await.unwrap();
}
