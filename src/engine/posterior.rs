//! Uncertain inputs drawn jointly from a weighted sample, a calibration's
//! posterior, instead of from their priors (`dudsim run --posterior`).
//!
//! Each replicate picks one particle by weight with a stream of its own,
//! derived from the seed, the replicate's number and the scenario's number
//! only, so results do not depend on threads or shards; the particle's
//! values replace those inputs' draws, and every other input and every
//! chance event is drawn from the replicate's usual stream exactly as if
//! those inputs were fixed numbers in the file. A one-particle posterior
//! therefore gives, bit for bit, the run of the file with those inputs
//! fixed at the particle's values.

use super::replicate::Input;
use super::rng::{self, StreamRng};
use crate::calibrate::Posterior;

/// The third coordinate of the streams that pick particles: above every
/// scenario number, so that they never meet a replicate's own stream.
const PICK_STREAMS: u64 = 0xC0FF_EE00_0000_0000;

/// Some inputs of one scenario and a weighted sample of their values.
#[derive(Debug, Clone, PartialEq)]
pub struct InputPosterior {
    inputs: Vec<Input>,
    posterior: Posterior,
}

impl InputPosterior {
    /// The sample `posterior`, whose parameters are `inputs` in order.
    ///
    /// # Panics
    ///
    /// If there is not one input per parameter of `posterior`.
    pub fn new(inputs: Vec<Input>, posterior: Posterior) -> Self {
        assert_eq!(
            inputs.len(),
            posterior.dimension(),
            "one input per parameter"
        );
        InputPosterior { inputs, posterior }
    }

    /// The inputs, in the order of each particle's values.
    pub fn inputs(&self) -> &[Input] {
        &self.inputs
    }

    /// The weighted sample.
    pub fn posterior(&self) -> &Posterior {
        &self.posterior
    }

    /// The particle replicate `replicate` of scenario `scenario` uses.
    pub fn pick(&self, seed: u64, replicate: u64, scenario: u64) -> &[f64] {
        let mut stream: StreamRng = rng::stream(seed, replicate, PICK_STREAMS | scenario);
        self.posterior.draw(&mut stream)
    }
}
