//! Records files: counts observed after a real conflict (casualties,
//! encounters, submunitions cleared, live submunitions left), each over a
//! period of time since the strikes, against which `dudsim calibrate`
//! fits a scenario's uncertain inputs.
//!
//! ```toml
//! scenario = "Lebanon 2006"   # which scenario of the file (needed if it has several)
//! [[observation]]
//! quantity = "casualties"     # casualties | encounters | cleared | live
//! from = 0                    # in the aftermath's rate units since the strikes
//! to = 20
//! count = 182
//! sd = 20                     # optional observation error
//! source = "Landmine Monitor 2007"
//! ```
//!
//! `casualties`, `encounters` and `cleared` are counts over `[from, to)`;
//! `live` is the number left at `to` (no `from`). Every period must start
//! and end on a step boundary within the horizon, so that it is a whole
//! number of the scenario's steps. Everything is checked against the
//! scenario file, and each complaint names the file, line and key.

use std::fmt;
use std::path::Path;

use super::document::{Document, Value};
use super::time::{DurationValue, StepDuration, TimeUnit, as_whole};
use super::{MAX_FILE_BYTES, ScenarioFile};
use crate::error::InputError;

/// Most observations a records file may hold: each simulation is compared
/// with every one of them.
pub const MAX_OBSERVATIONS: usize = 10_000;

/// What an observation counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    /// People killed or injured over the period.
    Casualties,
    /// Submunitions set off by people over the period.
    Encounters,
    /// Submunitions cleared over the period.
    Cleared,
    /// Live submunitions left at the end of the period.
    Live,
}

impl Quantity {
    /// Every quantity, in the order of charts and tables.
    pub const ALL: [Quantity; 4] = [
        Quantity::Casualties,
        Quantity::Encounters,
        Quantity::Cleared,
        Quantity::Live,
    ];

    /// The name written in records files: `casualties`.
    pub fn name(self) -> &'static str {
        match self {
            Quantity::Casualties => "casualties",
            Quantity::Encounters => "encounters",
            Quantity::Cleared => "cleared",
            Quantity::Live => "live",
        }
    }

    /// The quantity named `name`, if any.
    pub fn parse(name: &str) -> Option<Quantity> {
        Quantity::ALL.into_iter().find(|q| q.name() == name)
    }

    /// Whether it is counted over a period (`live` is a level at a time).
    pub fn is_increment(self) -> bool {
        self != Quantity::Live
    }

    /// What it is, for people: `casualties`, `submunitions cleared`.
    pub fn description(self) -> &'static str {
        match self {
            Quantity::Casualties => "casualties",
            Quantity::Encounters => "encounters (submunitions set off by people)",
            Quantity::Cleared => "submunitions cleared",
            Quantity::Live => "live submunitions left",
        }
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One observed count.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub(crate) quantity: Quantity,
    /// Start of the period in rate units (`None` for `live`).
    pub(crate) from: Option<f64>,
    /// End of the period (the time of a `live` level), in rate units.
    pub(crate) to: f64,
    pub(crate) from_step: usize,
    pub(crate) to_step: usize,
    pub(crate) count: u64,
    pub(crate) sd: Option<f64>,
    pub(crate) source: Option<String>,
    /// 1-based line of its `[[observation]]` in the records file.
    pub(crate) line: usize,
    pub(crate) label: String,
}

impl Record {
    /// What is counted.
    pub fn quantity(&self) -> Quantity {
        self.quantity
    }

    /// Start of the period, in rate units since the strikes (`None` for a
    /// `live` level).
    pub fn from(&self) -> Option<f64> {
        self.from
    }

    /// End of the period (time of a `live` level), in rate units.
    pub fn to(&self) -> f64 {
        self.to
    }

    /// The period in whole steps: counted over steps `from_step + 1 ..=
    /// to_step`; a `live` level after step `to_step` (0: right after the
    /// strikes).
    pub fn steps(&self) -> (usize, usize) {
        (self.from_step, self.to_step)
    }

    /// The count observed.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Its observation error, if the file gives one.
    pub fn sd(&self) -> Option<f64> {
        self.sd
    }

    /// Where the count comes from, if the file says.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }

    /// Line of its `[[observation]]` table in the records file.
    pub fn line(&self) -> usize {
        self.line
    }

    /// A short name: `casualties, weeks 0 to 20`, `live at week 68`.
    pub fn label(&self) -> &str {
        &self.label
    }
}

/// A validated records file, tied to one scenario of one scenario file.
#[derive(Debug, Clone, PartialEq)]
pub struct Records {
    pub(crate) source_name: String,
    pub(crate) text: String,
    pub(crate) scenario: usize,
    pub(crate) rate_unit: TimeUnit,
    pub(crate) records: Vec<Record>,
}

impl Records {
    /// Where it came from, as the user named it.
    pub fn source_name(&self) -> &str {
        &self.source_name
    }

    /// The file's text, kept for the report.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Index of the scenario the records are of, in the scenario file.
    pub fn scenario(&self) -> usize {
        self.scenario
    }

    /// The unit of every `from` and `to`: the scenario's aftermath's rate
    /// unit.
    pub fn rate_unit(&self) -> TimeUnit {
        self.rate_unit
    }

    /// The observations, in file order.
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// Reads and validates a records file for `file`. At most 1 MiB of
    /// UTF-8 text is read.
    pub fn load(path: &Path, file: &ScenarioFile) -> Result<Records, InputError> {
        use std::io::Read;
        let name = path.display().to_string();
        let error = |message: String| InputError {
            file: Some(name.clone()),
            line: None,
            key: None,
            message,
            ..InputError::default()
        };
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
            .map_err(|e| error(format!("cannot read the records file: {e}")))?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(error(format!(
                "larger than {} MiB, the most a records file may hold (it lists observed \
                 counts, at most {MAX_OBSERVATIONS}): is this the right file?",
                MAX_FILE_BYTES >> 20
            )));
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            InputError {
                line: Some(line),
                ..error("not UTF-8 text (save the file as UTF-8)".to_string())
            }
        })?;
        Records::parse(&name, &text, file)
    }

    /// Validates records text against `file`; `source_name` names it in
    /// messages.
    pub fn parse(
        source_name: &str,
        text: &str,
        file: &ScenarioFile,
    ) -> Result<Records, InputError> {
        let doc = Document::parse(source_name, text, &[])?;
        let root = doc.root();
        root.expect_only(&["scenario", "observation"])?;
        let observations = match root.get("observation") {
            Some(v) => v.array()?,
            None => Vec::new(),
        };
        let scenario_value = root.get("scenario");
        let scenario = match &scenario_value {
            Some(v) => {
                let name = v.str()?.trim();
                file.scenarios
                    .iter()
                    .position(|s| s.name == name)
                    .ok_or_else(|| {
                        v.error(format!(
                            "no scenario \"{name}\" in {}; its scenarios: {}",
                            file.source_name,
                            scenario_names(file)
                        ))
                    })?
            }
            None if file.scenarios.len() == 1 => 0,
            None => {
                return Err(root.missing(
                    "scenario",
                    &format!(
                        "the name of the scenario the records are of ({} has {} scenarios: {})",
                        file.source_name,
                        file.scenarios.len(),
                        scenario_names(file)
                    ),
                ));
            }
        };
        if observations.is_empty() {
            return Err(root.missing(
                "observation",
                "at least one [[observation]] table (quantity, from, to, count)",
            ));
        }
        if observations.len() > MAX_OBSERVATIONS {
            return Err(observations[MAX_OBSERVATIONS].error(format!(
                "{} observations, above the limit of {MAX_OBSERVATIONS}",
                observations.len()
            )));
        }
        let target = &file.scenarios[scenario];
        let steps = file.simulation.steps as usize;
        let aftermath = match (&target.aftermath, steps) {
            (Some(a), 1..) => a,
            _ => {
                let message = format!(
                    "scenario \"{}\" of {} has {}: records are counts over time after the \
                     strikes, which only a scenario with a [scenario.aftermath] and \
                     [simulation] steps above 0 simulates",
                    target.name,
                    file.source_name,
                    if target.aftermath.is_none() {
                        "no aftermath"
                    } else {
                        "no aftermath steps (steps = 0)"
                    }
                );
                return Err(match &scenario_value {
                    Some(v) => v.error(message),
                    None => observations[0].error(message),
                });
            }
        };
        let period = Period {
            rate_unit: aftermath.rate_unit,
            step_unit: file.simulation.step_unit,
            steps,
        };
        let records = observations
            .iter()
            .map(|value| parse_record(value, &period))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Records {
            source_name: source_name.to_string(),
            text: text.to_string(),
            scenario,
            rate_unit: aftermath.rate_unit,
            records,
        })
    }
}

fn scenario_names(file: &ScenarioFile) -> String {
    let names: Vec<String> = file
        .scenarios
        .iter()
        .take(10)
        .map(|s| format!("\"{}\"", s.name))
        .collect();
    let more = file.scenarios.len().saturating_sub(10);
    if more > 0 {
        format!("{} and {more} more", names.join(", "))
    } else {
        names.join(", ")
    }
}

/// How times in rate units map to the scenario's steps.
struct Period {
    rate_unit: TimeUnit,
    step_unit: TimeUnit,
    steps: usize,
}

impl Period {
    /// The step boundary `value` (in rate units) falls on, or what is wrong.
    fn step_of(&self, value: &Value<'_>) -> Result<(f64, usize), InputError> {
        let x = value.non_negative_number()?;
        let duration = StepDuration::new(DurationValue::Fixed(x), self.rate_unit, self.step_unit)
            .map_err(|e| value.error(e))?;
        let step = as_whole(x * duration.steps_per_unit)
            .ok_or_else(|| value.error(format!("{x} is not on a step boundary")))?
            as usize;
        if step > self.steps {
            let horizon = self.steps as f64 / duration.steps_per_unit;
            return Err(value.error(format!(
                "{x} {} is beyond the horizon of {} steps ({} {}): records must lie within \
                 the simulated aftermath; raise [simulation] steps to at least {step}",
                units(self.rate_unit, x),
                self.steps,
                number(horizon),
                units(self.rate_unit, horizon)
            )));
        }
        Ok((x, step))
    }
}

/// `week` or `weeks`, as `x` needs.
fn units(unit: TimeUnit, x: f64) -> String {
    if x == 1.0 {
        unit.name().to_string()
    } else {
        format!("{}s", unit.name())
    }
}

/// A time for labels: at most four decimals, no trailing zeros.
fn number(x: f64) -> String {
    let text = format!("{x:.4}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn parse_record(value: &Value<'_>, period: &Period) -> Result<Record, InputError> {
    let table = value.table("[[observation]]")?;
    table.expect_only(&["quantity", "from", "to", "count", "sd", "source", "note"])?;
    let quantity_value = table.require(
        "quantity",
        "what is counted: casualties, encounters, cleared or live",
    )?;
    let name = quantity_value.str()?.trim();
    let quantity = Quantity::parse(name).ok_or_else(|| {
        quantity_value.error(format!(
            "unknown quantity \"{name}\"; allowed: casualties, encounters, cleared (counts over \
             [from, to)), live (the number left at `to`)"
        ))
    })?;
    let to_value = table.require(
        "to",
        "the end of the period, in the aftermath's rate units since the strikes",
    )?;
    let (to, to_step) = period.step_of(&to_value)?;
    let (from, from_step) = match (quantity.is_increment(), table.get("from")) {
        (true, Some(v)) => {
            let (from, from_step) = period.step_of(&v)?;
            if from >= to {
                return Err(v.error(format!(
                    "the period must end after it starts: from = {} is not before to = {}",
                    number(from),
                    number(to)
                )));
            }
            (Some(from), from_step)
        }
        (true, None) => {
            return Err(table.missing(
                "from",
                "the start of the period, in the aftermath's rate units since the strikes",
            ));
        }
        (false, Some(v)) => {
            return Err(v.error(
                "`live` is the number of live submunitions left at `to`, not a count over a \
                 period: remove `from`",
            ));
        }
        (false, None) => (None, to_step),
    };
    let count = table
        .require("count", "the count observed (a whole number)")?
        .whole()?;
    let sd = match table.get("sd") {
        Some(v) => {
            let sd = v.number()?;
            if !sd.is_finite() || sd <= 0.0 {
                return Err(v.error(format!(
                    "the observation error sd must be a finite number greater than 0, got {sd} (leave it out \
                     for the default, the square root of the count)"
                )));
            }
            Some(sd)
        }
        None => None,
    };
    let source = table
        .get("source")
        .map(|v| v.str().map(str::to_string))
        .transpose()?;
    if let Some(v) = table.get("note") {
        v.str()?;
    }
    let unit = period.rate_unit;
    let label = match from {
        Some(from) => format!(
            "{}, {} {} to {}",
            quantity.name(),
            units(unit, 2.0),
            number(from),
            number(to)
        ),
        None => format!("{} at {} {}", quantity.name(), unit.name(), number(to)),
    };
    Ok(Record {
        quantity,
        from,
        to,
        from_step,
        to_step,
        count,
        sd,
        source,
        line: table.line(),
        label,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenarios() -> ScenarioFile {
        ScenarioFile::parse(
            "s.toml",
            "[simulation]\nsteps = 24\nstep_unit = \"month\"\n\
             [[scenario]]\nname = \"A\"\nstrikes = [ { munition = \"M864\", carriers = 10 } ]\n\
             [scenario.aftermath]\nrate_unit = \"month\"\nencounter_rate = { uniform = [0.001, 0.01] }\n\
             [[scenario]]\nname = \"B\"\nstrikes = [ { munition = \"M864\", carriers = 10 } ]\n\
             [[scenario]]\nname = \"Q\"\nstrikes = [ { munition = \"M864\", carriers = 10 } ]\n\
             [scenario.aftermath]\nrate_unit = \"year\"\n",
        )
        .unwrap()
    }

    fn refusal(text: &str) -> InputError {
        match Records::parse("r.toml", text, &scenarios()) {
            Ok(r) => panic!("accepted: {r:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn a_valid_file_gives_periods_in_steps_and_labels() {
        let text = "scenario = \"A\"\n\
                    [[observation]]\nquantity = \"casualties\"\nfrom = 0\nto = 4\ncount = 18\nsource = \"x\"\n\
                    [[observation]]\nquantity = \"cleared\"\nfrom = 4\nto = 16\ncount = 120\nsd = 10\n\
                    [[observation]]\nquantity = \"live\"\nto = 24\ncount = 500\n";
        let r = Records::parse("r.toml", text, &scenarios()).unwrap();
        assert_eq!(r.scenario(), 0);
        let rs = r.records();
        assert_eq!(rs.len(), 3);
        assert_eq!(rs[0].steps(), (0, 4));
        assert_eq!(rs[0].line(), 2);
        assert_eq!(rs[0].label(), "casualties, months 0 to 4");
        assert_eq!(rs[0].source(), Some("x"));
        assert_eq!(rs[1].steps(), (4, 16));
        assert_eq!(rs[1].sd(), Some(10.0));
        assert_eq!(rs[1].line(), 8);
        assert_eq!(rs[2].steps(), (24, 24));
        assert_eq!(rs[2].label(), "live at month 24");
        assert_eq!(rs[2].quantity(), Quantity::Live);
    }

    #[test]
    fn rates_per_year_with_monthly_steps_allow_fractions_of_a_year() {
        let text = "scenario = \"Q\"\n[[observation]]\nquantity = \"encounters\"\n\
                    from = 0.5\nto = 1.25\ncount = 3\n";
        let r = Records::parse("r.toml", text, &scenarios()).unwrap();
        assert_eq!(r.records()[0].steps(), (6, 15));
        assert_eq!(r.records()[0].label(), "encounters, years 0.5 to 1.25");
    }

    #[test]
    fn every_mistake_names_file_line_and_key() {
        let obs = |body: &str| format!("scenario = \"A\"\n[[observation]]\n{body}\n");
        for (text, line, key, says) in [
            (
                obs("quantity = \"deaths\"\nfrom = 0\nto = 4\ncount = 1"),
                3,
                "observation[0].quantity",
                "unknown quantity \"deaths\"",
            ),
            (
                obs("quantity = \"casualties\"\nfrom = 0\nto = 4\ncount = -3"),
                6,
                "observation[0].count",
                "cannot be negative",
            ),
            (
                obs("quantity = \"casualties\"\nfrom = 0\nto = 4.5\ncount = 3"),
                5,
                "observation[0].to",
                "nearest values on a step boundary are 4 and 5",
            ),
            (
                obs("quantity = \"casualties\"\nfrom = 4\nto = 4\ncount = 3"),
                4,
                "observation[0].from",
                "must end after it starts",
            ),
            (
                obs("quantity = \"casualties\"\nfrom = 0\nto = 30\ncount = 3"),
                5,
                "observation[0].to",
                "beyond the horizon of 24 steps",
            ),
            (
                obs("quantity = \"casualties\"\nfrom = 0\nto = 3\ncount = 3\nsd = 0"),
                7,
                "observation[0].sd",
                "greater than 0",
            ),
            (
                obs("quantity = \"live\"\nfrom = 0\nto = 3\ncount = 3"),
                4,
                "observation[0].from",
                "remove `from`",
            ),
            (
                obs("quantity = \"casualties\"\nfrom = 0\nto = 3\ncount = 3\ncolour = 1"),
                7,
                "observation[0].colour",
                "unknown key",
            ),
            (
                "scenario = \"Z\"\n[[observation]]\nquantity = \"live\"\nto = 3\ncount = 3\n"
                    .to_string(),
                1,
                "scenario",
                "no scenario \"Z\"",
            ),
            (
                "[[observation]]\nquantity = \"live\"\nto = 3\ncount = 3\n".to_string(),
                1,
                "scenario",
                "has 3 scenarios",
            ),
            (
                "scenario = \"B\"\n[[observation]]\nquantity = \"live\"\nto = 3\ncount = 3\n"
                    .to_string(),
                1,
                "scenario",
                "no aftermath",
            ),
        ] {
            let e = refusal(&text);
            assert_eq!(e.file.as_deref(), Some("r.toml"), "{e}");
            assert_eq!(e.line, Some(line), "{text}: {e}");
            assert_eq!(e.key.as_deref(), Some(key), "{text}: {e}");
            assert!(e.message.contains(says), "{text}: {e}");
        }
    }
}
