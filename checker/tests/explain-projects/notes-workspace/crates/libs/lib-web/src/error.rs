use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// A core error, answered with a status.
pub struct WebError(pub lib_core::Error);

impl From<lib_core::Error> for WebError {
    fn from(err: lib_core::Error) -> Self {
        WebError(err)
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = match self.0 {
            lib_core::Error::NotFound { .. } => StatusCode::NOT_FOUND,
            lib_core::Error::Forbidden => StatusCode::FORBIDDEN,
            lib_core::Error::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        (status, self.0.to_string()).into_response()
    }
}
