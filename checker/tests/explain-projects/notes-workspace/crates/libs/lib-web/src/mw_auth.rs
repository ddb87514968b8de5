use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use lib_core::ctx::Ctx;

/// Reads the user from the `x-user` header and hands handlers a `Ctx`.
pub async fn mw_ctx_require(mut request: Request, next: Next) -> Result<Response, StatusCode> {
    let user_id = request
        .headers()
        .get("x-user")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .ok_or(StatusCode::UNAUTHORIZED)?;
    request.extensions_mut().insert(Ctx::new(user_id));
    Ok(next.run(request).await)
}
