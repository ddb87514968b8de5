// Reproduces: https://github.com/facebookexperimental/hermit/issues/48 — a tracing macro's format arguments include `guest.regs().await`, inside a future cast to `Pin<Box<dyn Future + Send>>`.
// expect: compiles
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

struct Regs {
    rip: u64,
}

impl Regs {
    fn display(&self) -> String {
        format!("rip={:#x}", self.rip)
    }
}

struct Guest {
    tid: u32,
}

impl Guest {
    async fn regs(&self) -> Regs {
        tokio::time::sleep(Duration::from_millis(1)).await;
        Regs { rip: 0x4000 + self.tid as u64 }
    }
}

fn handle_syscall(guest: Guest) -> Pin<Box<dyn Future<Output = u32> + Send>> {
    Box::pin(async move {
        tracing::trace!("(pre) registers [{}] {}", guest.tid, guest.regs().await.display());
        guest.tid
    })
}

#[tokio::main]
async fn main() {
    println!("{}", tokio::spawn(handle_syscall(Guest { tid: 7 })).await.unwrap());
}
