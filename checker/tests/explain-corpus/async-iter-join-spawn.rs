// Reproduces: https://github.com/rust-lang/rust/issues/103854 — generic code spawns a task that drives two `async fn next` trait iterators with futures::join!; the trait's futures are not known to be Send.
// expect: kind=trait-future shape=awaits-non-send-future culprit=`Future<Output = Option<<I as AsyncIter>::Item>>` value=left.next()
use std::fmt::Debug;
use std::time::Duration;

trait AsyncIter {
    type Item;
    async fn next(&mut self) -> Option<Self::Item>;
}

struct Countdown(u32);

impl AsyncIter for Countdown {
    type Item = u32;
    async fn next(&mut self) -> Option<u32> {
        tokio::time::sleep(Duration::from_millis(1)).await;
        if self.0 == 0 { None } else { self.0 -= 1; Some(self.0) }
    }
}

fn spawn_zip<I>(mut left: I, mut right: I) -> tokio::task::JoinHandle<usize>
where
    I: AsyncIter + Send + 'static,
    I::Item: Send + Debug,
{
    tokio::spawn(async move {
        let mut pairs = 0;
        loop {
            let (a, b) = futures::join!(left.next(), right.next());
            match (a, b) {
                (Some(a), Some(b)) => {
                    println!("{a:?} {b:?}");
                    pairs += 1;
                }
                _ => break pairs,
            }
        }
    })
}

#[tokio::main]
async fn main() {
    println!("{}", spawn_zip(Countdown(3), Countdown(5)).await.unwrap());
}
