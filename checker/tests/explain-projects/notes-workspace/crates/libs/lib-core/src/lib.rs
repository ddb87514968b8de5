//! The notes service's model: what a note is, who asks, and what can go wrong.

pub mod ctx;
pub mod error;
pub mod model;
pub mod throttle;

pub use error::{Error, Result};
