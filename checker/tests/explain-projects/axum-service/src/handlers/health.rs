use axum::extract::State;

use crate::state::AppState;

pub async fn check(State(state): State<AppState>) -> String {
    format!("ok, {} requests", state.stats.hit())
}
