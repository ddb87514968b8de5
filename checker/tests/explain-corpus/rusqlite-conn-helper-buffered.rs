// Reproduces: https://github.com/rusqlite/rusqlite/issues/1013 — a connection that is Send but not Sync (RefCell cache inside) is lent to async helpers driven with buffer_unordered in a spawned task.
// expect: kind=not-sync-ref shape=awaits-non-send-future culprit=`RefCell<HashMap<String, usize>>` value=futures::stream::iter(0..4u32)
use futures::StreamExt;
use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Duration;

struct Connection {
    path: String,
    stmt_cache: RefCell<HashMap<String, usize>>,
}

impl Connection {
    fn open(path: &str) -> Connection {
        Connection { path: path.into(), stmt_cache: RefCell::new(HashMap::new()) }
    }
    fn execute(&self, sql: &str) -> usize {
        let mut cache = self.stmt_cache.borrow_mut();
        let n = cache.len();
        *cache.entry(sql.to_string()).or_insert(n)
    }
}

async fn query(conn: &Connection, id: u32) -> usize {
    tokio::time::sleep(Duration::from_millis(1)).await;
    conn.execute(&format!("SELECT * FROM t WHERE id = {id}"))
}

#[tokio::main]
async fn main() {
    let h = tokio::spawn(async move {
        let conn = Connection::open("app.db");
        let results: Vec<usize> = futures::stream::iter(0..4u32)
            .map(|id| query(&conn, id))
            .buffer_unordered(2)
            .collect()
            .await;
        println!("{} {results:?}", conn.path);
    });
    h.await.unwrap();
}
