use axum::Json;
use axum::extract::{Path, State};
use rand::seq::IndexedRandom;
use serde::Deserialize;

use crate::db::Book;
use crate::error::AppError;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct NewBook {
    pub title: String,
}

pub async fn list(State(state): State<AppState>) -> Json<Vec<Book>> {
    Json(state.db.all().await)
}

/// A book picked at random, for the front page's "try this one".
pub async fn random(State(state): State<AppState>) -> Result<Json<Book>, AppError> {
    let books = state.db.all().await;
    let pick = books.choose(&mut rand::rng()).cloned();
    pick.map(Json)
        .ok_or_else(|| AppError::BadInput("the catalogue is empty".into()))
}

pub async fn create(
    State(state): State<AppState>,
    Json(new): Json<NewBook>,
) -> Result<Json<Book>, AppError> {
    if new.title.trim().is_empty() {
        return Err(AppError::BadInput("a title is needed".into()));
    }
    let book = state.db.insert(&new.title).await?;
    state.cache.lock().unwrap().remove(&book.id);
    Ok(Json(book))
}

pub async fn show(State(state): State<AppState>, Path(id): Path<u64>) -> Result<String, AppError> {
    if let Some(page) = state.cache.lock().unwrap().get(&id) {
        return Ok(page.clone());
    }
    let book = state.db.get(id).await?;
    let page = format!("<h1>{}</h1>", book.title);
    state.cache.lock().unwrap().insert(id, page.clone());
    Ok(page)
}
