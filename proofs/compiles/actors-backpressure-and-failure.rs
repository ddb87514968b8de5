// Claim: with a bounded channel, senders wait when the owner falls behind: `try_send`
// says `Full`, and `send(…).await` waits until the owner takes a message (backpressure).
// And if the owner task dies (here it panics), the handles are told instead of left
// waiting: the pending `oneshot` reply ends in an error, and every later `send` fails.
//
// Book: "Own the state in one task" (src/beyond/actors.md).

use std::time::Duration;

use tokio::sync::mpsc::error::TrySendError;
use tokio::sync::{mpsc, oneshot};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // ANCHOR: bounded
    let (queue, mut inbox) = mpsc::channel::<u32>(2);
    queue.send(1).await.unwrap();
    queue.send(2).await.unwrap();
    // The owner has not taken anything yet: there is no room for a third message.
    assert!(matches!(queue.try_send(3), Err(TrySendError::Full(3))));
    let waited = tokio::time::timeout(Duration::from_millis(20), queue.send(3)).await;
    assert!(waited.is_err(), "`send` waits while the channel is full");
    // As soon as the owner takes one, a sender gets in.
    assert_eq!(inbox.recv().await, Some(1));
    queue.send(3).await.unwrap();
    // ANCHOR_END: bounded

    // Keep the owner's panic from printing: it is expected.
    std::panic::set_hook(Box::new(|_| {}));

    // ANCHOR: failure
    let (queue, mut inbox) = mpsc::channel::<oneshot::Sender<u32>>(8);
    let owner = tokio::spawn(async move {
        let _reply = inbox.recv().await;
        panic!("a bug in the owner");
    });
    let (reply, answer) = oneshot::channel();
    queue.send(reply).await.unwrap();
    // The owner died without answering: the caller gets an error, not an
    // endless wait.
    assert!(answer.await.is_err());
    assert!(owner.await.unwrap_err().is_panic());
    let (reply, _answer) = oneshot::channel();
    assert!(
        queue.send(reply).await.is_err(),
        "nobody is listening any more"
    );
    // ANCHOR_END: failure
}
