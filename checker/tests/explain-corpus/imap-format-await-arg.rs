// Reproduces: https://github.com/stalwartlabs/stalwart/issues/337 — a `format!` in a spawned IMAP task has an `.await` among its arguments, so the implicit borrow of the earlier argument (a folder with a Cell counter, Send but not Sync) lives across that await.
// expect: kind=not-sync-ref shape=temporary-in-statement culprit=`Cell<u32>` value=parent
use std::cell::Cell;
use std::fmt;
use std::time::Duration;

struct Folder {
    name: String,
    renders: Cell<u32>,
}

impl fmt::Display for Folder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.renders.set(self.renders.get() + 1);
        f.write_str(&self.name)
    }
}

struct Mailbox {
    id: u32,
}

impl Mailbox {
    async fn child_name(&self) -> String {
        tokio::time::sleep(Duration::from_millis(1)).await;
        format!("child-{}", self.id)
    }
}

async fn write(path: String) {
    tokio::time::sleep(Duration::from_millis(1)).await;
    println!("{path}");
}

async fn rename(id: u32) {
    let parent = Folder { name: "INBOX".into(), renders: Cell::new(0) };
    let mb = Mailbox { id };
    let path = format!("{}/{}", parent, mb.child_name().await);
    write(path).await;
}

#[tokio::main]
async fn main() {
    tokio::spawn(rename(3)).await.unwrap();
}
