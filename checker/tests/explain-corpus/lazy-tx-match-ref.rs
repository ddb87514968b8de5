// Reproduces: https://github.com/digital-society-coop/axum-sqlx-tx/issues/40 — a lazy transaction matches on `&self.state` and awaits inside an arm while a reference into the state is alive; the connection is Send but not Sync, so that reference is not Send.
// expect: kind=not-sync-ref shape=held-across-await culprit=`Cell<u32>` value=conn
// expect-line: await=42
use std::cell::Cell;
use std::time::Duration;

/// A database connection: it may move to another thread, but not be shared.
struct Connection {
    statements: Cell<u32>,
}

struct Pool;

impl Pool {
    async fn begin(&self) -> Connection {
        tokio::time::sleep(Duration::from_millis(1)).await;
        Connection {
            statements: Cell::new(0),
        }
    }
}

enum State {
    Unacquired(Pool),
    Acquired(Connection),
}

struct LazyTransaction {
    state: State,
}

impl LazyTransaction {
    async fn statements(&mut self) -> u32 {
        match &self.state {
            State::Unacquired(pool) => {
                let conn = pool.begin().await;
                let n = conn.statements.get();
                self.state = State::Acquired(conn);
                n
            }
            State::Acquired(conn) => {
                tokio::task::yield_now().await;
                conn.statements.get()
            }
        }
    }
}

#[tokio::main]
async fn main() {
    let handler = tokio::spawn(async move {
        let mut tx = LazyTransaction {
            state: State::Unacquired(Pool),
        };
        tx.statements().await + tx.statements().await
    });
    println!("{}", handler.await.unwrap());
}
