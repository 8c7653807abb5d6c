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
    /// (Boxed: it is rare, and large with its excerpt and further errors.)
    Input(Box<InputError>),
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
        Error::Input(Box::new(InputError::new(message)))
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
        Error::Input(Box::new(e))
    }
}

/// Bad input, located as precisely as we can: file, line, column, key;
/// with the line at fault, a likely fix, and any further errors found in
/// the same input.
///
/// Its text starts with one line that tools can grep,
/// `FILE:LINE:COL: `KEY`: message`; the line of the file follows with a
/// caret under the place at fault, then the hint.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InputError {
    /// The file the input came from, as the user named it.
    pub file: Option<String>,
    /// 1-based line in that file.
    pub line: Option<usize>,
    /// 1-based column (in characters) in that line.
    pub column: Option<usize>,
    /// The key, named as in the scenario file (e.g. `munition.9M55K.dud_rate`).
    pub key: Option<String>,
    /// What is wrong and what is allowed.
    pub message: String,
    /// The line at fault and how many characters from `column` on are.
    pub excerpt: Option<Excerpt>,
    /// A likely fix, e.g. `write { uniform = [0.3, 0.4] }`.
    pub hint: Option<String>,
    /// Further errors found in the same input, in the order of the file.
    pub more: Vec<InputError>,
}

/// The line of a file an error points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    /// The line, without its end of line (tabs shown as spaces).
    pub text: String,
    /// Characters under the caret, from the error's column on (at least 1).
    pub width: usize,
}

impl InputError {
    /// An error that is not tied to a place in a file.
    pub fn new(message: impl Into<String>) -> Self {
        InputError {
            message: message.into(),
            ..InputError::default()
        }
    }

    /// The same error with a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Every error: this one and the further ones.
    pub fn all(&self) -> impl Iterator<Item = &InputError> {
        std::iter::once(self).chain(self.more.iter())
    }

    /// The first line of the text, without the excerpt and the hint.
    pub fn headline(&self) -> String {
        let mut out = String::new();
        match (&self.file, self.line, self.column) {
            (Some(file), Some(line), Some(column)) => {
                out.push_str(&format!("{file}:{line}:{column}: "))
            }
            (Some(file), Some(line), None) => out.push_str(&format!("{file}:{line}: ")),
            (Some(file), None, _) => out.push_str(&format!("{file}: ")),
            _ => {}
        }
        if let Some(key) = &self.key {
            out.push_str(&format!("`{key}`: "));
        }
        out.push_str(&self.message);
        out
    }

    fn fmt_one(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.headline())?;
        if let (Some(excerpt), Some(line), Some(column)) = (&self.excerpt, self.line, self.column) {
            let gutter = line.to_string().len();
            write!(
                f,
                "\n{blank:gutter$} |\n{line} | {text}\n{blank:gutter$} | {pad}{carets}",
                blank = "",
                text = excerpt.text,
                pad = " ".repeat(column.saturating_sub(1)),
                carets = "^".repeat(excerpt.width.max(1)),
            )?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {hint}")?;
        }
        Ok(())
    }
}

impl fmt::Display for InputError {
    /// Every error, each from its own `error: ` line on (the first one's
    /// `error: ` is the caller's, as for any other error).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_one(f)?;
        for other in &self.more {
            f.write_str("\nerror: ")?;
            other.fmt_one(f)?;
        }
        if !self.more.is_empty() {
            write!(f, "\n{} errors in all", self.more.len() + 1)?;
        }
        Ok(())
    }
}

/// Result type of dudsim.
pub type Result<T, E = Error> = std::result::Result<T, E>;
