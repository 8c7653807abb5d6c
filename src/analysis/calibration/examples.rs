//! The calibrations shipped with dudsim (`examples/calibration/`), built
//! in so that `dudsim calibrate --example NAME` runs one in a single
//! command: a scenario file with honest priors and the records file of
//! what was counted after the conflict.

/// One shipped calibration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// Its name on the command line: `lebanon-2006`.
    pub name: &'static str,
    /// What it fits, in a line.
    pub about: &'static str,
    /// The scenario file's path in the repository.
    pub scenario_path: &'static str,
    /// Its text.
    pub scenario_text: &'static str,
    /// The records file's path in the repository.
    pub records_path: &'static str,
    /// Its text.
    pub records_text: &'static str,
}

/// Every shipped calibration, the default first.
pub const EXAMPLES: [Example; 3] = [
    Example {
        name: "lebanon-2006",
        about: "submunition casualties and clearance after the 2006 war in South Lebanon",
        scenario_path: "examples/calibration/lebanon-2006.toml",
        scenario_text: include_str!("../../../examples/calibration/lebanon-2006.toml"),
        records_path: "examples/calibration/lebanon-2006-records.toml",
        records_text: include_str!("../../../examples/calibration/lebanon-2006-records.toml"),
    },
    Example {
        name: "kosovo-1999",
        about: "casualties from mines and unexploded ordnance in Kosovo, 1999-2000",
        scenario_path: "examples/calibration/kosovo-1999.toml",
        scenario_text: include_str!("../../../examples/calibration/kosovo-1999.toml"),
        records_path: "examples/calibration/kosovo-1999-records.toml",
        records_text: include_str!("../../../examples/calibration/kosovo-1999-records.toml"),
    },
    Example {
        name: "laos-2009",
        about: "casualties from all unexploded ordnance in Laos, 2009-2017",
        scenario_path: "examples/calibration/laos-2009.toml",
        scenario_text: include_str!("../../../examples/calibration/laos-2009.toml"),
        records_path: "examples/calibration/laos-2009-records.toml",
        records_text: include_str!("../../../examples/calibration/laos-2009-records.toml"),
    },
];

/// The shipped calibration called `name`.
pub fn find(name: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.name == name)
}

/// The names of the shipped calibrations, for messages.
pub fn names() -> String {
    EXAMPLES.map(|e| e.name).join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Records, ScenarioFile};

    #[test]
    fn every_example_is_valid_and_its_records_fit_its_scenario() {
        for e in EXAMPLES {
            let file = ScenarioFile::parse(e.scenario_path, e.scenario_text)
                .unwrap_or_else(|err| panic!("{err}"));
            let records = Records::parse(e.records_path, e.records_text, &file)
                .unwrap_or_else(|err| panic!("{err}"));
            super::super::Parameters::of(&file, records.scenario())
                .unwrap_or_else(|err| panic!("{err}"));
        }
    }
}
