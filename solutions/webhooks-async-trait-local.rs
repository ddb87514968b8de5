// # The signer that opted out of Send
//
// Story: when an order ships, the shop notifies its partners by webhook, each signed by
// the key management service so that partners can check where it came from. Signing goes
// through a `Signer` trait with async methods, written with the async-trait crate; its
// author copied `#[async_trait(?Send)]` from an example that ran in a browser, where
// futures never leave their thread. (Real reports: gakonst/ethers-rs#77, a `Signer` trait
// declared `?Send` for a hardware wallet, which made every spawned signing task fail;
// facebook/winterfell#385, a macro that always expanded to `#[async_trait(?Send)]`.)
//
// What is wrong: it does not compile. The delivery task "cannot be sent between threads
// safely", although the signer is `Send + Sync`, as the generic bound says.
//
// What to do: make it compile, keeping the `Signer` trait and the generic sender.
//
// Book: "Boxed futures and async-trait" (src/culprits/boxed-futures.md).

use std::future::Future;
use std::sync::Arc;

use async_trait::async_trait;
use checker::webhooks::{Courier, Kms, Webhook};
use tokio::task::JoinSet;

// ANCHOR: signer
/// Plain `#[async_trait]`: every `sign` returns a boxed future that is `Send`, so a task
/// that awaits one can be spawned. (It also asks `Self: Sync`, because the future holds
/// `&self`.)
#[async_trait]
trait Signer {
    /// The signature of `payload`, as the partner's `X-Signature` header expects it.
    async fn sign(&self, payload: &[u8]) -> String;
}

struct KmsSigner {
    kms: Kms,
}

#[async_trait]
impl Signer for KmsSigner {
    async fn sign(&self, payload: &[u8]) -> String {
        self.kms.sign(payload).await
    }
}
// ANCHOR_END: signer

// ANCHOR: deliver
/// Signs and delivers every webhook, each in a task of its own.
async fn deliver_all<S>(signer: Arc<S>, courier: Courier, hooks: Vec<Webhook>) -> anyhow::Result<()>
where
    S: Signer + Send + Sync + 'static,
{
    let mut tasks = JoinSet::new();
    for hook in hooks {
        let (signer, courier) = (Arc::clone(&signer), courier.clone());
        tasks.spawn(async move {
            let signature = signer.sign(&hook.body).await;
            courier.deliver(&hook, &signature).await
        });
    }
    while let Some(finished) = tasks.join_next().await {
        finished??;
    }
    Ok(())
}
// ANCHOR_END: deliver

fn start(
    kms: Kms,
    courier: Courier,
    hooks: Vec<Webhook>,
) -> impl Future<Output = anyhow::Result<()>> {
    deliver_all(Arc::new(KmsSigner { kms }), courier, hooks)
}

// ---------------------------------------------------------------------------------------
// The checker's part: it ships orders and checks what partners got. No need to change it.

fn main() {
    checker::webhooks::check(start);
}
