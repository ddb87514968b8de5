// Reproduces: https://github.com/transact-rs/sqlx/issues/3757 — a small web router demands `Future + Send + Sync` route futures, and a route awaits a database call whose boxed future is Send but not Sync.
// expect: kind=boxed-future shape=sync-required culprit=`Future<Output = u64> + std::marker::Send` value=execute
// expect-line: await=47
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;

struct Pool {
    rows: u64,
}

/// What the database driver returns: a boxed `Send` future, as most drivers do.
fn execute<'a>(pool: &'a Pool, sql: &'a str) -> BoxFuture<'a, u64> {
    Box::pin(async move {
        tokio::time::sleep(Duration::from_millis(1)).await;
        pool.rows + sql.len() as u64
    })
}

type Route =
    Box<dyn Fn(Arc<Pool>) -> Pin<Box<dyn Future<Output = String> + Send + Sync>> + Send + Sync>;

#[derive(Default)]
struct Server {
    routes: HashMap<&'static str, Route>,
}

impl Server {
    fn route<F, Fut>(&mut self, path: &'static str, handler: F)
    where
        F: Fn(Arc<Pool>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = String> + Send + Sync + 'static,
    {
        self.routes
            .insert(path, Box::new(move |pool| Box::pin(handler(pool))));
    }
}

#[tokio::main]
async fn main() {
    let mut server = Server::default();
    server.route("/insert", |pool: Arc<Pool>| async move {
        let rows = execute(&pool, "INSERT INTO visits DEFAULT VALUES").await;
        format!("{rows} rows")
    });
    let pool = Arc::new(Pool { rows: 1 });
    println!("{}", (server.routes["/insert"])(pool).await);
}
