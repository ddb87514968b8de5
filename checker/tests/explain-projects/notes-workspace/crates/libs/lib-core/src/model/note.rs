use serde::{Deserialize, Serialize};

use crate::ctx::Ctx;
use crate::model::ModelManager;
use crate::{Error, Result};

#[derive(Clone, Debug, Serialize)]
pub struct Note {
    pub id: u64,
    pub owner: u64,
    pub text: String,
}

#[derive(Deserialize)]
pub struct NoteForCreate {
    pub text: String,
}

/// The backend model controller for notes: what a handler calls.
pub struct NoteBmc;

impl NoteBmc {
    pub async fn create(ctx: &Ctx, mm: &ModelManager, data: NoteForCreate) -> Result<u64> {
        let note = Note {
            id: 0,
            owner: ctx.user_id(),
            text: data.text,
        };
        mm.save(note).await
    }

    pub async fn get(ctx: &Ctx, mm: &ModelManager, id: u64) -> Result<Note> {
        let note = mm.load(id).await?;
        if note.owner != ctx.user_id() {
            return Err(Error::Forbidden);
        }
        Ok(note)
    }
}
