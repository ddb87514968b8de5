use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;
use tokio::sync::RwLock;

use crate::error::AppError;

#[derive(Clone, Serialize)]
pub struct Book {
    pub id: u64,
    pub title: String,
}

/// Stands in for a database pool: every call takes a little while.
pub struct Db {
    pub name: String,
    books: RwLock<BTreeMap<u64, Book>>,
}

impl Db {
    pub fn open(name: &str) -> Self {
        Db {
            name: name.to_owned(),
            books: RwLock::default(),
        }
    }

    pub async fn insert(&self, title: &str) -> Result<Book, AppError> {
        tokio::time::sleep(Duration::from_millis(2)).await;
        let mut books = self.books.write().await;
        let id = books.len() as u64 + 1;
        let book = Book {
            id,
            title: title.to_owned(),
        };
        books.insert(id, book.clone());
        Ok(book)
    }

    pub async fn get(&self, id: u64) -> Result<Book, AppError> {
        tokio::time::sleep(Duration::from_millis(1)).await;
        self.books
            .read()
            .await
            .get(&id)
            .cloned()
            .ok_or(AppError::NotFound(id))
    }

    pub async fn all(&self) -> Vec<Book> {
        self.books.read().await.values().cloned().collect()
    }
}
