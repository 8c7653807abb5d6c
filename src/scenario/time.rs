//! Units of time and durations: how long a step is, in which unit an
//! aftermath's rates and durations are written, and durations converted to
//! whole steps.

use std::fmt;

use super::dist::{CountDist, CountShape, ProbShape};

/// A unit of time for steps and for rates. A month is a twelfth of a year,
/// a quarter a quarter of one, a week seven days and a year 365.25 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeUnit {
    /// One day.
    Day,
    /// Seven days.
    Week,
    /// A twelfth of a year.
    Month,
    /// A quarter of a year.
    Quarter,
    /// 365.25 days.
    Year,
}

impl TimeUnit {
    /// Every unit, shortest first.
    pub const ALL: [TimeUnit; 5] = [
        TimeUnit::Day,
        TimeUnit::Week,
        TimeUnit::Month,
        TimeUnit::Quarter,
        TimeUnit::Year,
    ];

    /// The unit's name, as written in scenario files: `month`.
    pub fn name(self) -> &'static str {
        match self {
            TimeUnit::Day => "day",
            TimeUnit::Week => "week",
            TimeUnit::Month => "month",
            TimeUnit::Quarter => "quarter",
            TimeUnit::Year => "year",
        }
    }

    /// The unit named `name` (as written in scenario files), if any.
    pub fn parse(name: &str) -> Option<TimeUnit> {
        TimeUnit::ALL.into_iter().find(|u| u.name() == name)
    }

    /// Its length in years.
    pub fn years(self) -> f64 {
        match self {
            TimeUnit::Day => 1.0 / 365.25,
            TimeUnit::Week => 7.0 / 365.25,
            TimeUnit::Month => 1.0 / 12.0,
            TimeUnit::Quarter => 0.25,
            TimeUnit::Year => 1.0,
        }
    }

    /// How many of `unit` one of this unit lasts: a year is 12 months.
    pub fn in_units_of(self, unit: TimeUnit) -> f64 {
        if self == unit {
            1.0
        } else {
            self.years() / unit.years()
        }
    }

    /// The names of every unit, for messages: `day, week, month, quarter, year`.
    pub fn names() -> String {
        TimeUnit::ALL.map(TimeUnit::name).join(", ")
    }
}

impl fmt::Display for TimeUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Relative tolerance within which a duration counts as a whole number of
/// steps: far below any duration a file can mean, far above the rounding
/// of unit conversions.
const WHOLE_STEPS_TOLERANCE: f64 = 1e-9;

/// `x` as a whole number, if it is one to within the rounding of unit
/// conversions.
pub(crate) fn as_whole(x: f64) -> Option<u64> {
    let rounded = x.round();
    ((x - rounded).abs() <= WHOLE_STEPS_TOLERANCE * rounded.abs().max(1.0) && rounded >= 0.0)
        .then_some(rounded as u64)
}

/// A duration that must fall on a step boundary (when clearance starts or
/// ends), in the aftermath's rate units: a number, or a count distribution
/// of whole rate units every value of which falls on a boundary.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepDuration {
    /// The duration as the file gives it, in rate units.
    pub(crate) value: DurationValue,
    /// Steps per rate unit.
    pub(crate) steps_per_unit: f64,
}

/// The value of a [`StepDuration`], in rate units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DurationValue {
    /// A fixed duration (decimals allowed).
    Fixed(f64),
    /// A random whole number of rate units.
    Count(CountDist),
}

impl StepDuration {
    /// The duration as the file gives it, in rate units.
    pub fn value(&self) -> DurationValue {
        self.value
    }

    /// Its mean, in rate units.
    pub fn mean(&self) -> f64 {
        match self.value {
            DurationValue::Fixed(x) => x,
            DurationValue::Count(d) => d.mean(),
        }
    }

    /// True when it is known exactly.
    pub fn is_fixed(&self) -> bool {
        match self.value {
            DurationValue::Fixed(_) => true,
            DurationValue::Count(d) => d.is_fixed(),
        }
    }

    /// The smallest and largest value it can take, in rate units (the
    /// largest in practice for a Poisson count).
    pub fn range(&self) -> (f64, f64) {
        match self.value {
            DurationValue::Fixed(x) => (x, x),
            DurationValue::Count(d) => match d.shape() {
                CountShape::Fixed(n) => (n as f64, n as f64),
                CountShape::Poisson(_) => (0.0, d.practical_max()),
                CountShape::Uniform { lo, hi } => (lo as f64, hi as f64),
            },
        }
    }
}

impl fmt::Display for StepDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.value {
            DurationValue::Fixed(x) => write!(f, "{}", super::dist::quoted(x)),
            DurationValue::Count(d) => write!(f, "{d}"),
        }
    }
}

/// A duration for messages: at most six decimals, no trailing zeros.
fn significant(x: f64) -> String {
    let text = format!("{x:.6}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Most distinct values of a uniform count duration checked one by one
/// against the step boundaries.
const MAX_VALUES_CHECKED: u64 = 100_000;

impl StepDuration {
    /// `value` rate units with `steps_per_unit` steps per rate unit, or
    /// what is wrong: a value off a step boundary (with the nearest valid
    /// values, in rate units) or a negative one.
    pub(crate) fn new(
        value: DurationValue,
        rate_unit: TimeUnit,
        step_unit: TimeUnit,
    ) -> Result<Self, String> {
        let steps_per_unit = rate_unit.in_units_of(step_unit);
        let units = |x: f64| {
            let name = rate_unit.name();
            if x == 1.0 {
                name.to_string()
            } else {
                format!("{name}s")
            }
        };
        let step = if rate_unit == step_unit {
            format!("a step is one {}", step_unit.name())
        } else {
            let length = 1.0 / steps_per_unit;
            format!(
                "a step is one {} = {} {}",
                step_unit.name(),
                significant(length),
                units(length)
            )
        };
        let duration = StepDuration {
            value,
            steps_per_unit,
        };
        let off_boundary = |x: f64| -> Option<String> {
            let steps = x * steps_per_unit;
            if as_whole(steps).is_some() {
                return None;
            }
            let quote = |s: f64| significant(s / steps_per_unit);
            Some(format!(
                "{} {} falls inside step {} ({step}); the nearest values on a step boundary are \
                 {} and {}",
                super::dist::quoted(x),
                units(x),
                steps.floor() as u64 + 1,
                quote(steps.floor()),
                quote(steps.ceil())
            ))
        };
        match value {
            DurationValue::Fixed(x) => {
                if !(x >= 0.0 && x.is_finite()) {
                    return Err(format!("a duration must be 0 or more, got {x}"));
                }
                if let Some(e) = off_boundary(x) {
                    return Err(e);
                }
            }
            DurationValue::Count(d) => {
                if as_whole(steps_per_unit).is_some() {
                    return Ok(duration);
                }
                match d.shape() {
                    CountShape::Fixed(n) => {
                        if let Some(e) = off_boundary(n as f64) {
                            return Err(e);
                        }
                    }
                    CountShape::Uniform { lo, hi } if hi - lo < MAX_VALUES_CHECKED => {
                        if let Some(e) = (lo..=hi).find_map(|n| off_boundary(n as f64)) {
                            return Err(format!("a value of the range: {e}"));
                        }
                    }
                    _ => {
                        return Err(format!(
                            "a random duration of whole {}s needs a whole number of steps per \
                             {} ({step}); give a fixed value, or a range of values that fall on \
                             step boundaries",
                            rate_unit.name(),
                            rate_unit.name()
                        ));
                    }
                }
            }
        }
        Ok(duration)
    }
}

/// A positive quantity (a half-life, a clearance capacity): a number
/// greater than 0 or a uniform or triangular distribution over such
/// numbers, drawn once per replicate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PositiveDist(pub(crate) ProbShape);

impl PositiveDist {
    /// A positive quantity of this shape (fixed, uniform or triangular),
    /// or what is wrong with it.
    pub fn new(shape: ProbShape) -> Result<Self, String> {
        let positive = |values: &[f64]| values.iter().all(|x| *x > 0.0 && x.is_finite());
        let valid = match shape {
            ProbShape::Fixed(x) => positive(&[x]),
            ProbShape::Uniform { lo, hi } => positive(&[lo, hi]) && lo <= hi,
            ProbShape::Triangular { min, mode, max } => {
                positive(&[min, mode, max]) && min <= mode && mode <= max
            }
            ProbShape::Beta { .. } => false,
        };
        if valid {
            Ok(PositiveDist(shape))
        } else {
            Err(
                "must be greater than 0: a number, or { uniform = [low, high] } or \
                 { triangular = [min, mode, max] } of numbers greater than 0 in increasing order"
                    .to_string(),
            )
        }
    }

    /// Its shape and parameters.
    pub fn shape(&self) -> ProbShape {
        self.0
    }

    /// Expected value.
    pub fn mean(&self) -> f64 {
        self.0.mean()
    }

    /// The smallest and largest value it can take.
    pub fn support(&self) -> (f64, f64) {
        self.0.support()
    }

    /// True when it is known exactly.
    pub fn is_fixed(&self) -> bool {
        self.0.is_fixed()
    }
}

impl fmt::Display for PositiveDist {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use super::dist::quoted;
        match self.0 {
            ProbShape::Fixed(x) => write!(f, "{}", quoted(x)),
            ProbShape::Uniform { lo, hi } => write!(f, "uniform {} to {}", quoted(lo), quoted(hi)),
            ProbShape::Triangular { min, mode, max } => write!(
                f,
                "triangular {} to {}, mode {}",
                quoted(min),
                quoted(max),
                quoted(mode)
            ),
            ProbShape::Beta { alpha, beta } => write!(f, "beta({alpha}, {beta})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_convert_through_years() {
        assert_eq!(TimeUnit::Year.in_units_of(TimeUnit::Month), 12.0);
        assert!((TimeUnit::Month.in_units_of(TimeUnit::Day) - 30.4375).abs() < 1e-12);
        assert!((TimeUnit::Week.in_units_of(TimeUnit::Day) - 7.0).abs() < 1e-12);
        assert_eq!(TimeUnit::Quarter.in_units_of(TimeUnit::Month), 3.0);
        assert_eq!(TimeUnit::parse("quarter"), Some(TimeUnit::Quarter));
        assert_eq!(TimeUnit::parse("months"), None);
    }

    #[test]
    fn durations_must_fall_on_step_boundaries() {
        // Yearly steps, rates per month: 1/12 step per month.
        let (month, year) = (TimeUnit::Month, TimeUnit::Year);
        assert!(StepDuration::new(DurationValue::Fixed(24.0), month, year).is_ok());
        let e = StepDuration::new(DurationValue::Fixed(18.0), month, year).unwrap_err();
        assert_eq!(
            e,
            "18 months falls inside step 2 (a step is one year = 12 months); the nearest \
             values on a step boundary are 12 and 24"
        );
        // Monthly steps, rates per year: 12 steps per year.
        assert!(StepDuration::new(DurationValue::Fixed(1.5), year, month).is_ok());
        let uniform = CountDist::new(CountShape::Uniform { lo: 6, hi: 18 }).unwrap();
        assert!(StepDuration::new(DurationValue::Count(uniform), month, month).is_ok());
        assert!(StepDuration::new(DurationValue::Count(uniform), month, year).is_err());
        // Daily steps, rates per month: 12 months are 365.25 days.
        let e = StepDuration::new(DurationValue::Fixed(12.0), month, TimeUnit::Day).unwrap_err();
        assert!(e.contains("a step is one day = 0.032854 months"), "{e}");
    }

    #[test]
    fn half_lives_are_positive() {
        assert!(PositiveDist::new(ProbShape::Fixed(2.5)).is_ok());
        assert!(PositiveDist::new(ProbShape::Fixed(0.0)).is_err());
        assert!(PositiveDist::new(ProbShape::Uniform { lo: -1.0, hi: 2.0 }).is_err());
        assert!(
            PositiveDist::new(ProbShape::Beta {
                alpha: 1.0,
                beta: 1.0
            })
            .is_err()
        );
    }
}
