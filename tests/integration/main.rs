//! dudsim's integration tests, one test binary: the library through its
//! public API, and the `dudsim` command as a user runs it. Tests of
//! internals live beside the code, in `src/`.

mod common;

mod bad_input;
mod browser;
mod calibration;
mod charts;
mod cli;
mod closed_form;
mod command_line;
mod data_contract;
mod decisions;
mod determinism;
mod engine_samplers;
mod error_messages;
mod golden;
mod layers;
mod maps_on_earth;
mod memory;
mod merge_laws;
mod model_moments;
mod output_dir;
mod parser_fuzz;
mod quantiles;
mod scale_out;
mod sensitivity;
mod sharding;
mod snapshots;
mod spatial;
mod sweep;
mod validate;
