// Reproduces: https://github.com/tokio-rs/tokio/issues/1862 — two loops share an Rc<Cell<u32>> counter and are spawned on a current-thread runtime with Runtime::spawn, which still requires Send.
// expect: kind=rc shape=held-across-await culprit=`Rc<Cell<u32>>` value=counter
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

async fn loop_forever(name: &'static str, counter: Rc<Cell<u32>>) {
    for _ in 0..3 {
        counter.set(counter.get() + 1);
        println!("{name}: {}", counter.get());
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let counter = Rc::new(Cell::new(0));
    let a = runtime.spawn(loop_forever("A", counter.clone()));
    let b = runtime.spawn(loop_forever("B", counter.clone()));
    runtime.block_on(async {
        a.await.unwrap();
        b.await.unwrap();
    });
    println!("total {}", counter.get());
}
