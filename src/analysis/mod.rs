//! Analyses built on runs of the engine: sweeps over dud rates,
//! sensitivity indices, validation against past campaigns, adaptive runs
//! to a precision, and the budget a command needs before it starts.

pub mod budget;
pub mod calibration;
pub mod precision;
pub mod sensitivity;
pub mod sweep;
pub mod validate;
