use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::model::Note;
use crate::{Error, Result};

/// Stands in for a database pool, shared by every request.
#[derive(Clone, Default)]
pub struct ModelManager {
    notes: Arc<Mutex<HashMap<u64, Note>>>,
}

impl ModelManager {
    pub async fn save(&self, note: Note) -> Result<u64> {
        // A round trip to the database.
        tokio::time::sleep(Duration::from_millis(2)).await;
        let mut notes = self.notes.lock().map_err(|_| Error::Store("poisoned".into()))?;
        let id = notes.len() as u64 + 1;
        notes.insert(id, Note { id, ..note });
        Ok(id)
    }

    pub async fn load(&self, id: u64) -> Result<Note> {
        tokio::time::sleep(Duration::from_millis(1)).await;
        let notes = self.notes.lock().map_err(|_| Error::Store("poisoned".into()))?;
        notes.get(&id).cloned().ok_or(Error::NotFound { id })
    }
}
