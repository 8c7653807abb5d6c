//! The messages a scenario file's common mistakes get: where (file, line,
//! column, key, the line itself with a caret), what is wrong, and a hint
//! that says what to write instead; every error of a file at once.

use crate::common::{dudsim, stderr, stdout, temp_dir};

/// The default scenario with `from` replaced by `to` (once), checked:
/// what `dudsim check` prints on stderr, having exited with status 2 and
/// written nothing.
fn mistake(from: &str, to: &str) -> String {
    let text = stdout(&dudsim(["example"]).ok());
    assert!(text.contains(from), "{from}");
    let tmp = temp_dir();
    std::fs::write(tmp.path().join("f.toml"), text.replacen(from, to, 1)).unwrap();
    let check = stderr(
        &dudsim(["check", "f.toml"])
            .current_dir(tmp.path())
            .fails_with(2),
    );
    let run = dudsim(["run", "f.toml", "-o", "out"])
        .current_dir(tmp.path())
        .fails_with(2);
    assert_eq!(stderr(&run), check, "run and check say the same");
    assert!(!tmp.path().join("out").exists());
    check
}

/// What `dudsim check` prints on stderr for a file holding `text`, having
/// exited with status 2.
fn check_fails(text: &str) -> String {
    let tmp = temp_dir();
    std::fs::write(tmp.path().join("f.toml"), text).unwrap();
    stderr(
        &dudsim(["check", "f.toml"])
            .current_dir(tmp.path())
            .fails_with(2),
    )
}

const RATE: &str = "dud_rate = { uniform = [0.30, 0.40] }";

#[test]
fn a_bare_range_where_a_distribution_is_expected() {
    assert_eq!(
        mistake(RATE, "dud_rate = [0.3, 0.4]"),
        "error: f.toml:29:12: `munition.9M55K.dud_rate`: expected a number or one of \
         { fixed = ... }, { uniform = ... }, { triangular = ... }, { beta = ... }, found an array
   |
29 | dud_rate = [0.3, 0.4]   # US officials, July 2023 [S4]
   |            ^^^^^^^^^^
  = hint: write { uniform = [0.3, 0.4] }
"
    );
}

#[test]
fn a_decimal_comma() {
    assert_eq!(
        mistake(RATE, "dud_rate = 0,02"),
        "error: f.toml:29:13: `dud_rate`: not valid TOML: unexpected key or value, expected newline, `#`
   |
29 | dud_rate = 0,02   # US officials, July 2023 [S4]
   |             ^
  = hint: use a decimal point: 0.02
"
    );
}

#[test]
fn a_percentage_written_as_a_whole_number() {
    assert_eq!(
        mistake(RATE, "dud_rate = 35"),
        "error: f.toml:29:12: `munition.9M55K.dud_rate`: a probability must lie between 0 and 1, got 35
   |
29 | dud_rate = 35   # US officials, July 2023 [S4]
   |            ^^
  = hint: probabilities are fractions: 35% is 0.35
"
    );
    let range = mistake(RATE, "dud_rate = { uniform = [30, 40] }");
    assert!(
        range.contains("= hint: probabilities are fractions: write uniform = [0.3, 0.4]"),
        "{range}"
    );
}

#[test]
fn a_misspelt_munition_id() {
    let message = mistake(
        "{ munition = \"9M55K\", carriers = 1000",
        "{ munition = \"9M55\", carriers = 1000",
    );
    let first = message.lines().next().unwrap();
    assert!(
        first.starts_with(
            "error: f.toml:108:16: `scenario.9M55K, 30-40% duds.strikes[0].munition`: munition \
             \"9M55\" is not defined: add a [[munition]] table for it or use one of 9M55K, "
        ),
        "{message}"
    );
    assert_eq!(
        first
            .split("use one of")
            .nth(1)
            .unwrap()
            .matches("9M55K,")
            .count(),
        1,
        "each id once: {first}"
    );
    assert!(
        message.ends_with("  = hint: did you mean \"9M55K\"?\n"),
        "{message}"
    );
}

#[test]
fn catalog_ids_are_found_in_any_case_and_misspellings_get_a_suggestion() {
    let upper = stdout(&dudsim(["catalog", "M864"]).ok());
    assert_eq!(stdout(&dudsim(["catalog", "m864"]).ok()), upper);
    assert_eq!(
        stdout(&dudsim(["catalog", "cbu-87"]).ok()),
        stdout(&dudsim(["catalog", "CBU-87"]).ok())
    );
    let out = dudsim(["catalog", "cbu87"]).fails_with(2);
    assert!(
        stderr(&out).ends_with("  = hint: did you mean \"CBU-87\"?\n"),
        "{}",
        stderr(&out)
    );
    // A scenario file may name a catalog munition in any case too.
    let text = check_fails(
        "[[scenario]]\nname = \"a\"\nstrikes = [{ munition = \"m864\", carriers = 10 }]\n",
    );
    assert!(text.contains("did you mean \"M864\"?"), "{text}");
}

#[test]
fn every_independent_error_of_a_file_is_reported_at_once() {
    let text = check_fails(
        "[simulation]\nseed = -1\n\n[[munition]]\nid = \"x\"\nbase = \"9M55K\"\n\
         dud_rate = [0.3, 0.4]\nfootprint_radius_m = -5\n\n[[scenario]]\nname = \"a\"\n\
         strikes = [{ munition = \"x\", carriers = 10 }]\n\n[scenario.aftermath]\n\
         encounter_rate = 2\n",
    );
    let errors: Vec<&str> = text.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(
        errors,
        [
            "error: f.toml:2:8: `simulation.seed`: a count cannot be negative, got -1",
            "error: f.toml:7:12: `munition.x.dud_rate`: expected a number or one of { fixed = ... }, { uniform = ... }, { triangular = ... }, { beta = ... }, found an array",
            "error: f.toml:8:22: `munition.x.footprint_radius_m`: must be greater than 0, got -5",
            "error: f.toml:15:18: `scenario.a.aftermath.encounter_rate`: a probability must lie between 0 and 1, got 2",
        ],
        "{text}"
    );
    assert!(text.ends_with("4 errors in all\n"), "{text}");
}

#[test]
fn the_keys_of_a_strike_and_of_clearance_teams_are_checked_independently() {
    let tmp = temp_dir();
    std::fs::write(
        tmp.path().join("f.toml"),
        "[[scenario]]\nname = \"a\"\nstrikes = [{ munition = \"9M55\", carriers = -3 }]\n",
    )
    .unwrap();
    let out = dudsim(["check", "f.toml"])
        .current_dir(tmp.path())
        .fails_with(2);
    let text = stderr(&out);
    let errors: Vec<&str> = text.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(errors.len(), 2, "{text}");
    assert!(errors[0].contains("`scenario.a.strikes[0].munition`: munition \"9M55\""));
    assert!(errors[1].starts_with(
        "error: f.toml:3:44: `scenario.a.strikes[0].carriers`: a count cannot be negative"
    ));

    let village = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/decision/village.toml"
    ))
    .unwrap();
    let teams = "capacity_ha = { uniform = [3.7, 6.1] }\ndetection = { uniform = [0.6, 0.95] }\n\
                 order = \"risk\"";
    assert!(village.contains(teams));
    let bad = village.replacen(
        teams,
        "capacity_ha = 0\ndetection = 1.5\norder = \"rsk\"",
        1,
    );
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/decision/village-exposure.asc"
        ),
        tmp.path().join("village-exposure.asc"),
    )
    .unwrap();
    std::fs::write(tmp.path().join("v.toml"), bad).unwrap();
    let out = dudsim(["check", "v.toml"])
        .current_dir(tmp.path())
        .fails_with(2);
    let text = stderr(&out);
    let errors: Vec<&str> = text.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(errors.len(), 3, "{text}");
    for key in ["capacity_ha", "detection", "order"] {
        assert!(
            errors
                .iter()
                .any(|e| e.contains(&format!("`scenario.by risk.clearance.{key}`"))),
            "{key}: {text}"
        );
    }
    assert!(text.contains("= hint: did you mean \"risk\"?"), "{text}");
}
