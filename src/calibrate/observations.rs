//! Observed values, their scales, and the distance between a simulation
//! and the observations.

use super::error::CalibrateError;

/// One observed value.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    label: String,
    value: f64,
    scale: f64,
}

impl Observation {
    /// A name for messages (e.g. `casualties 2007`).
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The observed value.
    pub fn value(&self) -> f64 {
        self.value
    }

    /// What one unit of distance means for this observation: its standard
    /// deviation if given, else `sqrt(max(value, 1))`.
    pub fn scale(&self) -> f64 {
        self.scale
    }
}

/// The observations a model is fitted to, in the order the model closure
/// returns its simulated values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Observations {
    items: Vec<Observation>,
}

impl Observations {
    /// No observations yet.
    pub fn new() -> Observations {
        Observations::default()
    }

    /// Adds an observation. `sd` is its observation error; without one the
    /// scale is Poisson-like, `sqrt(max(value, 1))`, so that a count of 100
    /// missed by 10 counts as much as a count of 1 missed by 1.
    pub fn push(
        &mut self,
        label: impl Into<String>,
        value: f64,
        sd: Option<f64>,
    ) -> Result<(), CalibrateError> {
        let index = self.items.len();
        if !value.is_finite() {
            return Err(CalibrateError::InvalidObservation {
                index,
                message: format!("the value must be a finite number, got {value}"),
            });
        }
        let scale = match sd {
            Some(sd) if sd.is_finite() && sd > 0.0 => sd,
            Some(sd) => {
                return Err(CalibrateError::InvalidObservation {
                    index,
                    message: format!("the standard deviation must be a number above 0, got {sd}"),
                });
            }
            None => value.max(1.0).sqrt(),
        };
        self.items.push(Observation {
            label: label.into(),
            value,
            scale,
        });
        Ok(())
    }

    /// The first `count` observations (e.g. all but a held-out tail).
    pub fn head(&self, count: usize) -> Observations {
        Observations {
            items: self.items[..count.min(self.items.len())].to_vec(),
        }
    }

    /// Number of observations.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The observations in order.
    pub fn items(&self) -> &[Observation] {
        &self.items
    }

    /// Euclidean distance between `simulated` and the observations, each
    /// difference divided by its observation's scale. `simulated` must have
    /// one value per observation.
    pub fn distance(&self, simulated: &[f64]) -> f64 {
        debug_assert_eq!(simulated.len(), self.items.len());
        self.items
            .iter()
            .zip(simulated)
            .map(|(o, &s)| ((s - o.value) / o.scale).powi(2))
            .sum::<f64>()
            .sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_is_euclidean_over_poisson_or_given_scales() {
        let mut obs = Observations::new();
        obs.push("a", 100.0, None).unwrap();
        obs.push("b", 0.0, None).unwrap();
        obs.push("c", 5.0, Some(2.0)).unwrap();
        assert_eq!(obs.items()[0].scale(), 10.0);
        assert_eq!(obs.items()[1].scale(), 1.0);
        // (110-100)/10 = 1, (2-0)/1 = 2, (7-5)/2 = 1.
        assert_eq!(obs.distance(&[110.0, 2.0, 7.0]), 6f64.sqrt());
        assert_eq!(obs.distance(&[100.0, 0.0, 5.0]), 0.0);
        assert_eq!(obs.head(2).len(), 2);
    }

    #[test]
    fn bad_values_are_refused_with_their_position() {
        let mut obs = Observations::new();
        obs.push("a", 1.0, None).unwrap();
        let e = obs.push("b", f64::NAN, None).unwrap_err();
        assert!(e.to_string().starts_with("observation 2:"), "{e}");
        assert!(obs.push("b", 3.0, Some(0.0)).is_err());
        assert!(obs.push("b", 3.0, Some(f64::INFINITY)).is_err());
        assert_eq!(obs.len(), 1);
    }
}
