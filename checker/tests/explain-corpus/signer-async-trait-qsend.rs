// Reproduces: https://github.com/gakonst/ethers-rs/issues/77 — a Signer trait declared with `#[async_trait(?Send)]` (for one hardware wallet) makes every generic task that signs impossible to spawn.
// expect: kind=boxed-future shape=awaits-non-send-future culprit=`dyn Future<Output = Vec<u8>>` value=signer.sign
// expect-line: await=29
use std::time::Duration;

use async_trait::async_trait;

#[async_trait(?Send)]
trait Signer {
    async fn sign(&self, message: &[u8]) -> Vec<u8>;
}

struct LocalWallet {
    key: u8,
}

#[async_trait(?Send)]
impl Signer for LocalWallet {
    async fn sign(&self, message: &[u8]) -> Vec<u8> {
        tokio::time::sleep(Duration::from_millis(1)).await;
        message.iter().map(|b| b ^ self.key).collect()
    }
}

fn send_transaction<S: Signer + Send + Sync + 'static>(
    signer: S,
    message: Vec<u8>,
) -> tokio::task::JoinHandle<Vec<u8>> {
    tokio::spawn(async move { signer.sign(&message).await })
}

#[tokio::main]
async fn main() {
    let signature = send_transaction(LocalWallet { key: 0x5a }, b"transfer 1 eth".to_vec())
        .await
        .unwrap();
    println!("{} bytes signed", signature.len());
}
