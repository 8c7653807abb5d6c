//! What can go wrong in a calibration, each with a message that says what
//! was wrong and what is allowed.

use std::fmt;

use super::smc::Unreachable;

/// A calibration that could not be set up or could not finish.
#[derive(Debug, Clone)]
pub enum CalibrateError {
    /// A prior's parameters are not a distribution.
    InvalidPrior(String),
    /// The parameter names or the number of parameters are unusable.
    InvalidParameters(String),
    /// An observation's value or standard deviation is unusable.
    InvalidObservation {
        /// 0-based position of the observation.
        index: usize,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// A setting is out of its allowed range.
    InvalidSettings {
        /// The setting's field name.
        setting: &'static str,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// The model closure returned something other than one finite number
    /// per observation.
    ModelOutput {
        /// Where: e.g. `generation 3, particle 12`.
        context: String,
        /// What the model returned.
        problem: String,
    },
    /// The simulations cannot come close to the observations under the
    /// prior: the tolerance stalled or the acceptance rate collapsed while
    /// the closest distance was still far above the reach limit.
    CannotReachData(Box<Unreachable>),
}

impl fmt::Display for CalibrateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CalibrateError::InvalidPrior(m) => write!(f, "invalid prior: {m}"),
            CalibrateError::InvalidParameters(m) => write!(f, "invalid parameters: {m}"),
            CalibrateError::InvalidObservation { index, message } => {
                write!(f, "observation {}: {message}", index + 1)
            }
            CalibrateError::InvalidSettings { setting, message } => {
                write!(f, "calibration setting `{setting}`: {message}")
            }
            CalibrateError::ModelOutput { context, problem } => {
                write!(f, "the model returned {problem} ({context})")
            }
            CalibrateError::CannotReachData(diagnostic) => diagnostic.fmt(f),
        }
    }
}

impl std::error::Error for CalibrateError {}
