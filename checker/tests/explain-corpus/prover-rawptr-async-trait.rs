// Reproduces: https://github.com/spaceandtimefdn/blitzar-rs/pull/42 — a prover service keeps a GPU handle wrapping a raw FFI pointer, and a Send `#[async_trait]` method on `&self` captures the service by reference.
// The compiler words it "used across an await" (the `&self` that `#[async_trait]` moves into
// its boxed future), and explain follows the compiler's evidence: held-across-await.
// expect: kind=raw-pointer shape=held-across-await culprit=`*mut MultiexpHandle` value=self
use std::time::Duration;

#[repr(C)]
struct MultiexpHandle {
    _private: [u8; 0],
}

struct MsmHandle {
    h: *mut MultiexpHandle,
}

unsafe impl Send for MsmHandle {}

struct Prover {
    setup: MsmHandle,
}

#[async_trait::async_trait]
trait ProverService {
    async fn prove(&self, req: Vec<u64>) -> u64;
}

#[async_trait::async_trait]
impl ProverService for Prover {
    async fn prove(&self, req: Vec<u64>) -> u64 {
        tokio::time::sleep(Duration::from_millis(1)).await;
        req.iter().sum::<u64>() + self.setup.h.is_null() as u64
    }
}

#[tokio::main]
async fn main() {
    let p = Prover { setup: MsmHandle { h: std::ptr::null_mut() } };
    println!("{}", p.prove(vec![1, 2, 3]).await);
}
