// Reproduces: https://github.com/weldsorm/welds/pull/76 — a query keeps `Box<dyn Relation + Send>` objects and iterates them by reference across the database await: `&(dyn Relation + Send)` needs Sync.
// expect: kind=not-sync-ref shape=held-across-await culprit=`dyn Relation + Send` value=self.relations.iter()
// expect-line: await=33
use std::time::Duration;

trait Relation {
    fn sql(&self) -> String;
}

struct BelongsTo {
    table: &'static str,
}

impl Relation for BelongsTo {
    fn sql(&self) -> String {
        format!("SELECT * FROM {}", self.table)
    }
}

struct Query {
    relations: Vec<Box<dyn Relation + Send>>,
}

async fn execute(sql: String) -> usize {
    tokio::time::sleep(Duration::from_millis(1)).await;
    sql.len()
}

impl Query {
    async fn load_related(self) -> usize {
        let mut rows = 0;
        for relation in self.relations.iter() {
            rows += execute(relation.sql()).await;
        }
        rows
    }
}

#[tokio::main]
async fn main() {
    let query = Query {
        relations: vec![
            Box::new(BelongsTo { table: "authors" }),
            Box::new(BelongsTo { table: "tags" }),
        ],
    };
    let rows = tokio::spawn(query.load_related()).await.unwrap();
    println!("{rows} rows");
}
