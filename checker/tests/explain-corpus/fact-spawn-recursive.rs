// Reproduces: https://github.com/rust-lang/rust/issues/112175 — an async fn spawns itself recursively; proving its future Send needs the very type being defined.
// expect: kind=other shape=recursive culprit=`impl Future<Output = u64>` value=-
async fn factorial(n: u64) -> u64 {
    if n <= 1 {
        return 1;
    }
    let rest = tokio::spawn(factorial(n - 1)).await.unwrap();
    rest * n
}

#[tokio::main]
async fn main() {
    println!("{}", factorial(10).await);
}
