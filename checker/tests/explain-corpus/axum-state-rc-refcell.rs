// Reproduces: https://github.com/async-graphql/async-graphql/issues/110 — the object every request resolves against keeps a cache in Rc<RefCell<…>>; here that object is axum's router state.
// The router refuses the state itself, at a bound on `Router::new`: no future is involved.
// expect: kind=rc shape=required-by-bound culprit=`Rc<RefCell<Vec<String>>>` value=-
use std::cell::RefCell;
use std::rc::Rc;

use axum::Router;
use axum::extract::State;
use axum::routing::post;

#[derive(Clone)]
struct AppState {
    recent: Rc<RefCell<Vec<String>>>,
}

async fn save(State(state): State<AppState>, body: String) -> String {
    state.recent.borrow_mut().push(body);
    format!("{} saved", state.recent.borrow().len())
}

#[tokio::main]
async fn main() {
    let state = AppState {
        recent: Rc::new(RefCell::new(Vec::new())),
    };
    let app: Router = Router::new().route("/save", post(save)).with_state(state);
    let _ = app;
}
