use std::fmt;

pub type Result<T> = std::result::Result<T, Error>;

#[derive(Debug)]
pub enum Error {
    NotFound { id: u64 },
    Forbidden,
    Store(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NotFound { id } => write!(f, "note {id} not found"),
            Error::Forbidden => write!(f, "forbidden"),
            Error::Store(why) => write!(f, "store: {why}"),
        }
    }
}

impl std::error::Error for Error {}
