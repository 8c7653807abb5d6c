//! Errors and the exit status each one maps to.
//!
//! dudsim separates two kinds of failure because users react to them
//! differently: bad input (a scenario file or a command line that does not
//! make sense, exit status 2) is for the user to fix, while anything else
//! (a disk that is full, a file that cannot be written, exit status 1) is not.

use std::fmt;

/// A failure of a dudsim command.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// The user's input is wrong: a scenario file, a command-line value.
    Input(InputError),
    /// Anything else: input/output failures, internal limits.
    Failure(String),
}

impl Error {
    /// The process exit status this error maps to: 2 for bad input, 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input(_) => 2,
            Error::Failure(_) => 1,
        }
    }

    /// A failure that is not the user's input.
    pub fn failure(message: impl Into<String>) -> Self {
        Error::Failure(message.into())
    }

    /// Bad input that is not tied to a place in a file (a command-line value).
    pub fn usage(message: impl Into<String>) -> Self {
        Error::Input(InputError {
            file: None,
            line: None,
            key: None,
            message: message.into(),
        })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input(e) => e.fmt(f),
            Error::Failure(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {}

impl From<InputError> for Error {
    fn from(e: InputError) -> Self {
        Error::Input(e)
    }
}

/// Bad input, located as precisely as we can: file, line, key.
#[derive(Debug, Clone, PartialEq)]
pub struct InputError {
    /// The file the input came from, as the user named it.
    pub file: Option<String>,
    /// 1-based line in that file.
    pub line: Option<usize>,
    /// The key, named as in the scenario file (e.g. `munition.9M55K.dud_rate`).
    pub key: Option<String>,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.line) {
            (Some(file), Some(line)) => write!(f, "{file}:{line}: ")?,
            (Some(file), None) => write!(f, "{file}: ")?,
            _ => {}
        }
        if let Some(key) = &self.key {
            write!(f, "`{key}`: ")?;
        }
        f.write_str(&self.message)
    }
}

/// Result type of dudsim.
pub type Result<T, E = Error> = std::result::Result<T, E>;
