// Claim: `Arc<dyn Trait + Send>` is not `Send`. An `Arc<T>` is `Send` only if `T` is
// `Send + Sync`: each clone may be on another thread, and through it that thread reaches
// the same `T` by shared reference. So an `Arc` of a trait object needs both.
//
// Book: "Trait objects" (src/culprits/trait-objects.md).

use std::sync::Arc;

trait Notifier {
    fn notify(&self, text: &str);
}

struct Log;

impl Notifier for Log {
    fn notify(&self, text: &str) {
        println!("{text}");
    }
}

// ANCHOR: spawn
fn watch_deploys(notifier: Arc<dyn Notifier + Send>) {
    tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        notifier.notify("deploy finished");
    });
}
// ANCHOR_END: spawn

#[tokio::main]
async fn main() {
    watch_deploys(Arc::new(Log));
}
