// Claim: the `Send` versions of each trait object compile where a task must be `Send`:
// `Box<dyn Any + Send>` kept across an `.await` and downcast after it, and a `BoxFuture`
// (from `.boxed()`) awaited in a spawned task. The non-`Send` versions still have their
// place: a `LocalBoxFuture` is accepted by `spawn_local`, which asks for no `Send`.
//
// Book: "Boxed futures and async-trait" (src/culprits/boxed-futures.md).

use std::any::Any;
use std::rc::Rc;
use std::time::Duration;

use futures::FutureExt;
use futures::future::{BoxFuture, LocalBoxFuture};

// ANCHOR: any
/// A value of any type that can travel: what a plug-in hands back, or a panic's payload.
async fn round_trip(value: Box<dyn Any + Send>) -> Option<u64> {
    tokio::time::sleep(Duration::from_millis(1)).await;
    value.downcast::<u64>().ok().map(|n| *n)
}
// ANCHOR_END: any

// ANCHOR: boxed
fn read_counter(n: u32) -> BoxFuture<'static, u32> {
    async move {
        tokio::time::sleep(Duration::from_millis(1)).await;
        n * 10
    }
    .boxed()
}

fn read_local(n: u32) -> LocalBoxFuture<'static, u32> {
    let shared = Rc::new(n);
    async move {
        tokio::time::sleep(Duration::from_millis(1)).await;
        *shared * 10
    }
    .boxed_local()
}
// ANCHOR_END: boxed

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let any = tokio::spawn(round_trip(Box::new(7_u64)));
    assert_eq!(any.await.unwrap(), Some(7));
    let boxed = tokio::spawn(async { read_counter(2).await });
    assert_eq!(boxed.await.unwrap(), 20);

    let local = tokio::task::LocalSet::new();
    let value = local
        .run_until(async { tokio::task::spawn_local(read_local(3)).await.unwrap() })
        .await;
    assert_eq!(value, 30);
}
