// Reproduces: https://github.com/transact-rs/sqlx/issues/3757 — the workaround when a bound really demands Sync futures: wrap the route's future in `sync_wrapper::SyncFuture`, which is Sync because it only hands out `&mut` access.
// expect: compiles
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use sync_wrapper::SyncFuture;

struct Pool {
    rows: u64,
}

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
    server.route("/insert", |pool: Arc<Pool>| {
        SyncFuture::new(async move {
            let rows = execute(&pool, "INSERT INTO visits DEFAULT VALUES").await;
            format!("{rows} rows")
        })
    });
    let pool = Arc::new(Pool { rows: 1 });
    println!("{}", (server.routes["/insert"])(pool).await);
}
