// Reproduces: https://github.com/wasm-bindgen/wasm-bindgen/issues/1733 — a generic listener moves `Rc<RefCell<T>>` into spawn_local; the task must be 'static, so `T: 'static` is demanded although Rc "feels" owned.
// expect: kind=none shape=not-static value=T
use std::cell::RefCell;
use std::rc::Rc;
use tokio::sync::mpsc;

trait Component {
    fn render(&mut self) -> String;
}

struct Counter(u32);

impl Component for Counter {
    fn render(&mut self) -> String {
        self.0 += 1;
        format!("count={}", self.0)
    }
}

fn spawn_listener<T: Component>(c: Rc<RefCell<T>>, mut rx: mpsc::Receiver<()>) {
    tokio::task::spawn_local(async move {
        while rx.recv().await.is_some() {
            println!("{}", c.borrow_mut().render());
        }
    });
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let local = tokio::task::LocalSet::new();
    local.block_on(&rt, async {
        let (tx, rx) = mpsc::channel(4);
        spawn_listener(Rc::new(RefCell::new(Counter(0))), rx);
        tx.send(()).await.unwrap();
        drop(tx);
        tokio::task::yield_now().await;
    });
}
