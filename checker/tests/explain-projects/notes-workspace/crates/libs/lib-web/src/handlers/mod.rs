pub mod handlers_notes;
