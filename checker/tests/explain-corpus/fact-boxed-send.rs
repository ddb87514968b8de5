// Reproduces: https://github.com/rust-lang/rust/issues/112175 — the fix: the recursive function returns an explicit `Pin<Box<dyn Future<Output = u64> + Send>>`, so Send is checked against the signature, not the type being defined.
// expect: compiles
use std::future::Future;
use std::pin::Pin;

fn factorial(n: u64) -> Pin<Box<dyn Future<Output = u64> + Send>> {
    Box::pin(async move {
        if n <= 1 {
            return 1;
        }
        let rest = tokio::spawn(factorial(n - 1)).await.unwrap();
        rest * n
    })
}

#[tokio::main]
async fn main() {
    println!("{}", factorial(10).await);
}
