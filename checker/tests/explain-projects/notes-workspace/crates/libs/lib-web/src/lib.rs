//! The web layer: handlers, the auth middleware and how errors become responses.

pub mod error;
pub mod handlers;
pub mod mw_auth;

#[derive(Clone)]
pub struct AppState {
    pub mm: lib_core::model::ModelManager,
    pub throttle: std::sync::Arc<lib_core::throttle::Throttle>,
    pub pages: std::sync::Arc<lib_render::Renderer>,
}
