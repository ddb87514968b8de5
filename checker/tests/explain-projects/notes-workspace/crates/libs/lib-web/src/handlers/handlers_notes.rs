use axum::extract::{Path, State};
use axum::response::Html;
use axum::{Extension, Json};
use lib_core::ctx::Ctx;
use lib_core::model::{Note, NoteBmc, NoteForCreate};

use crate::AppState;
use crate::error::WebError;

pub async fn create_note(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Json(data): Json<NoteForCreate>,
) -> Result<Json<u64>, WebError> {
    state.throttle.wait_turn(ctx.user_id()).await;
    let id = NoteBmc::create(&ctx, &state.mm, data).await?;
    Ok(Json(id))
}

pub async fn get_note(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<u64>,
) -> Result<Json<Note>, WebError> {
    let note = NoteBmc::get(&ctx, &state.mm, id).await?;
    Ok(Json(note))
}

pub async fn get_note_page(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<u64>,
) -> Result<Html<String>, WebError> {
    let note = NoteBmc::get(&ctx, &state.mm, id).await?;
    Ok(Html(state.pages.page(&note).await))
}
