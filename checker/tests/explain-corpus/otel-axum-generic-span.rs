// Reproduces: https://github.com/hinohi/rust-opentelemetry-auto-span/issues/3 — an instrumentation guard made at the top of a generic axum handler (`get_user::<S>`) stays alive across the store's await; tracing's EnteredSpan is not Send.
// expect: kind=tracing-span shape=held-across-await culprit=`*mut ()` value=_guard
use axum::{Router, extract::{Path, State}, routing::get};
use std::sync::Arc;

trait UserStore: Send + Sync + 'static {
    fn find(&self, id: u32) -> impl std::future::Future<Output = Option<String>> + Send;
}

struct MemStore;

impl UserStore for MemStore {
    async fn find(&self, id: u32) -> Option<String> {
        (id == 1).then(|| "alice".to_string())
    }
}

async fn get_user<S: UserStore>(State(store): State<Arc<S>>, Path(id): Path<u32>) -> String {
    let _guard = tracing::info_span!("get_user", id).entered();
    match store.find(id).await {
        Some(name) => name,
        None => "not found".into(),
    }
}

#[tokio::main]
async fn main() {
    let app = Router::new()
        .route("/users/{id}", get(get_user::<MemStore>))
        .with_state(Arc::new(MemStore));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    println!("{:?}", listener.local_addr());
    drop(app);
}
