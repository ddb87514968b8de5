use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Every way a request can fail, and the status each one answers with.
#[derive(Debug)]
pub enum AppError {
    NotFound(u64),
    BadInput(String),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::NotFound(id) => (StatusCode::NOT_FOUND, format!("no book {id}")),
            AppError::BadInput(why) => (StatusCode::BAD_REQUEST, why),
        }
        .into_response()
    }
}
