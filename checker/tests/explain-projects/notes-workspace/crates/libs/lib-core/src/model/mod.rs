mod note;
mod store;

pub use note::{Note, NoteBmc, NoteForCreate};
pub use store::ModelManager;
