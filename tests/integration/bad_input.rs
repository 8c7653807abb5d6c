//! Bad input: one clear message naming file, line and key, exit status 2,
//! no panic, and no output directory.

use std::path::Path;
use std::process::Stdio;

use dudsim::{Engine, RunSettings, RunStats, ScenarioFile};

use crate::common::{dudsim, stderr, stdout, temp_dir};

/// A small valid file that the tests below break one way at a time.
pub const VALID: &str = r#"
[simulation]
replicates = 100
steps = 12

[[munition]]
id = "X"
submunitions = 72
dud_rate = 0.3
footprint_radius_m = 100

[[scenario]]
name = "a"
strikes = [ { munition = "X", carriers = 10 } ]
[scenario.aftermath]
encounter_rate = 0.001
"#;

/// Runs `dudsim run` on `text` and checks the failure.
fn rejects(text: &str, expected: &[&str]) {
    rejects_bytes(text.as_bytes(), expected);
}

/// Runs `dudsim run` and `dudsim check` on a file holding `bytes` and
/// checks the failure.
fn rejects_bytes(bytes: &[u8], expected: &[&str]) {
    let text = String::from_utf8_lossy(bytes);
    let tmp = temp_dir();
    std::fs::write(tmp.path().join("bad.toml"), bytes).unwrap();
    for command in [
        &["run", "bad.toml", "--out", "out"][..],
        &["check", "bad.toml"],
    ] {
        let out = dudsim(command).current_dir(tmp.path()).output();
        let stderr = stderr(&out);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{command:?} on:\n{text}\nstderr: {stderr}"
        );
        for needle in expected {
            assert!(stderr.contains(needle), "stderr lacks {needle:?}: {stderr}");
        }
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_one_error(&stderr);
        assert!(
            !tmp.path().join("out").exists(),
            "output written for bad input"
        );
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "only the input file remains");
    }
}

/// Checks that `stderr` holds one error: one greppable `error: ` line
/// first, then at most the line at fault with its caret and a hint.
pub fn assert_one_error(stderr: &str) {
    let lines: Vec<&str> = stderr.trim_end().lines().collect();
    assert!(lines[0].starts_with("error: "), "{stderr}");
    let errors = lines.iter().filter(|l| l.starts_with("error: ")).count();
    assert_eq!(errors, 1, "one message: {stderr}");
    assert!(lines.len() <= 5, "one message: {stderr}");
    for line in &lines[1..] {
        let excerpt = line
            .trim_start()
            .starts_with(|c: char| c == '|' || c.is_ascii_digit());
        assert!(
            excerpt || line.starts_with("  = hint: "),
            "an excerpt or a hint: {line:?} in {stderr}"
        );
    }
}

/// Checks that `dudsim check` accepts `text`.
fn accepts(text: &str) {
    let tmp = temp_dir();
    std::fs::write(tmp.path().join("ok.toml"), text).unwrap();
    dudsim(["check", "ok.toml"]).current_dir(tmp.path()).ok();
}

/// `VALID` with `from` replaced by `to`.
fn edit(from: &str, to: &str) -> String {
    assert!(VALID.contains(from), "{from}");
    VALID.replacen(from, to, 1)
}

#[test]
fn the_valid_file_is_accepted() {
    let tmp = temp_dir();
    std::fs::write(tmp.path().join("ok.toml"), VALID).unwrap();
    dudsim(["check", "ok.toml"]).current_dir(tmp.path()).ok();
}

#[test]
fn unknown_keys_are_named_with_their_line() {
    rejects(
        &format!("colour = 1\n{VALID}"),
        &["bad.toml:1:", "`colour`", "allowed keys"],
    );
    rejects(
        &edit("replicates = 100", "replicats = 100"),
        &[
            "bad.toml:3:",
            "simulation.replicats",
            "did you mean `replicates`",
        ],
    );
    rejects(
        &edit("dud_rate = 0.3", "dud_rat = 0.3"),
        &["bad.toml:9:", "munition.X.dud_rat"],
    );
    rejects(
        &edit("carriers = 10", "carrier = 10"),
        &["scenario.a.strikes[0].carrier", "allowed keys"],
    );
    rejects(
        &edit("encounter_rate = 0.001", "encounter = 0.001"),
        &["scenario.a.aftermath.encounter"],
    );
}

#[test]
fn probabilities_outside_zero_one_are_rejected() {
    rejects(
        &edit("dud_rate = 0.3", "dud_rate = 1.5"),
        &["bad.toml:9:", "munition.X.dud_rate", "between 0 and 1"],
    );
    rejects(
        &edit("dud_rate = 0.3", "dud_rate = -0.1"),
        &["munition.X.dud_rate"],
    );
    rejects(
        &edit("dud_rate = 0.3", "dud_rate = nan"),
        &["munition.X.dud_rate", "finite"],
    );
    rejects(
        &edit("dud_rate = 0.3", "dud_rate = inf"),
        &["munition.X.dud_rate", "finite"],
    );
    rejects(
        &edit("dud_rate = 0.3", "dud_rate = { uniform = [0.3, 1.2] }"),
        &["munition.X.dud_rate", "between 0 and 1"],
    );
    rejects(
        &edit("encounter_rate = 0.001", "encounter_rate = 2"),
        &["scenario.a.aftermath.encounter_rate"],
    );
}

#[test]
fn malformed_distributions_are_rejected() {
    rejects(
        &edit("dud_rate = 0.3", "dud_rate = { uniform = [0.4, 0.3] }"),
        &["munition.X.dud_rate", "low <= high"],
    );
    rejects(
        &edit(
            "dud_rate = 0.3",
            "dud_rate = { triangular = [0.1, 0.5, 0.3] }",
        ),
        &["munition.X.dud_rate", "min <= mode <= max"],
    );
    rejects(
        &edit("dud_rate = 0.3", "dud_rate = { beta = [0, 2] }"),
        &["munition.X.dud_rate", "greater than 0"],
    );
    rejects(
        &edit("dud_rate = 0.3", "dud_rate = { normal = [0.3, 0.1] }"),
        &["munition.X.dud_rate", "unknown distribution `normal`"],
    );
    rejects(
        &edit(
            "dud_rate = 0.3",
            "dud_rate = { uniform = [0.1, 0.2], beta = [1, 2] }",
        ),
        &["munition.X.dud_rate", "exactly one"],
    );
    rejects(
        &edit("carriers = 10", "carriers = { uniform = [20, 10] }"),
        &["scenario.a.strikes[0].carriers", "low <= high"],
    );
    rejects(
        &edit("carriers = 10", "carriers = { poisson = -3 }"),
        &["scenario.a.strikes[0].carriers", "poisson"],
    );
}

#[test]
fn counts_must_be_whole_and_not_negative() {
    rejects(
        &edit("carriers = 10", "carriers = -5"),
        &["scenario.a.strikes[0].carriers", "negative"],
    );
    rejects(
        &edit("carriers = 10", "carriers = 10.5"),
        &["scenario.a.strikes[0].carriers", "whole number"],
    );
    rejects(
        &edit("submunitions = 72", "submunitions = 0"),
        &["munition.X.submunitions"],
    );
    rejects(
        &edit("replicates = 100", "replicates = 0"),
        &["simulation.replicates"],
    );
    rejects(
        &edit("replicates = 100", "replicates = \"many\""),
        &["simulation.replicates", "string"],
    );
}

#[test]
fn aftermath_units_and_durations_are_checked() {
    // Rates compete in continuous time, so rates summing above 1 are
    // valid; units, step boundaries and half-lives are checked.
    accepts(&edit(
        "encounter_rate = 0.001",
        "encounter_rate = 0.5\nclearance_rate = { uniform = [0.4, 0.6] }",
    ));
    rejects(
        &edit("steps = 12", "steps = 12\nstep_unit = \"fortnight\""),
        &["simulation.step_unit", "day, week, month, quarter, year"],
    );
    rejects(
        &edit(
            "encounter_rate = 0.001",
            "rate_unit = \"month\"\nclearance_start = 7\nencounter_rate = 0.001",
        )
        .replace("steps = 12", "steps = 4\nstep_unit = \"quarter\""),
        &["scenario.a.aftermath.clearance_start", "6 and 9"],
    );
    rejects(
        &edit(
            "encounter_rate = 0.001",
            "encounter_rate = 0.001\nencounter_half_life = -2",
        ),
        &["scenario.a.aftermath.encounter_half_life", "greater than 0"],
    );
}

#[test]
fn munitions_must_be_defined_once() {
    rejects(
        &edit("munition = \"X\"", "munition = \"Y\""),
        &[
            "scenario.a.strikes[0].munition",
            "\"Y\" is not defined",
            "9M55K",
        ],
    );
    rejects(
        &format!("{VALID}\n[[munition]]\nid = \"X\"\nsubmunitions = 5\ndud_rate = 0.1\n"),
        &["munition.X.id", "defined twice"],
    );
    rejects(
        &edit("submunitions = 72\n", ""),
        &["munition.X.submunitions", "missing"],
    );
}

#[test]
fn lot_concentration_must_be_positive_and_finite() {
    for bad in ["0", "-3", "1e300", "inf"] {
        rejects(
            &edit(
                "dud_rate = 0.3",
                &format!("dud_rate = 0.3\nlot_concentration = {bad}"),
            ),
            &["munition.X.lot_concentration"],
        );
    }
}

#[test]
fn beta_parameters_and_lot_concentrations_outside_what_samples_correctly_are_rejected() {
    // 1e308 overflowed to a NaN rate counted as no duds, 1e-310 always drew
    // 1, and 5e-324 underflowed to no duds: each is refused with the range
    // allowed.
    for bad in [
        "[1e308, 1e308]",
        "[1e-310, 1e-310]",
        "[2e9, 5]",
        "[5, 1e-4]",
    ] {
        rejects(
            &edit("dud_rate = 0.3", &format!("dud_rate = {{ beta = {bad} }}")),
            &["bad.toml:9:", "munition.X.dud_rate", "0.001", "1e9"],
        );
    }
    for bad in ["5e-324", "1e-4"] {
        rejects(
            &edit(
                "dud_rate = 0.3",
                &format!("dud_rate = 0.3\nlot_concentration = {bad}"),
            ),
            &["munition.X.lot_concentration", "0.001", "1e9"],
        );
    }
}

#[test]
fn text_that_is_not_utf8_is_located() {
    // A Latin-1 "é" (0xE9) in a comment on line 10, and a stray 0xFF in a
    // string on line 13.
    let latin1 = edit(
        "footprint_radius_m = 100",
        "footprint_radius_m = 100 # caf\u{e9}",
    )
    .replace('\u{e9}', "\u{1}");
    let mut bytes = latin1.into_bytes();
    let at = bytes.iter().position(|&b| b == 1).unwrap();
    bytes[at] = 0xE9;
    rejects_bytes(&bytes, &["bad.toml:10:", "UTF-8", "0xE9"]);

    let mut bytes = VALID
        .replace("name = \"a\"", "name = \"a\u{1}\"")
        .into_bytes();
    let at = bytes.iter().position(|&b| b == 1).unwrap();
    bytes[at] = 0xFF;
    rejects_bytes(&bytes, &["bad.toml:13:", "UTF-8", "0xFF"]);
}

#[test]
fn files_above_one_mebibyte_and_endless_devices_are_refused_at_once() {
    let tmp = temp_dir();
    // A valid file padded with comments past 1 MiB.
    let padding = "# padding\n".repeat(110_000);
    std::fs::write(tmp.path().join("big.toml"), format!("{VALID}{padding}")).unwrap();
    let big = tmp.path().join("big.toml");
    for path in [Path::new("/dev/zero"), Path::new("/dev/urandom"), &big] {
        let path = path.to_str().unwrap();
        for command in [&["check", path][..], &["run", path, "--out", "out"]] {
            let started = std::time::Instant::now();
            let mut child = dudsim(command)
                .current_dir(tmp.path())
                .command()
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            while child.try_wait().unwrap().is_none() {
                if started.elapsed().as_secs() > 20 {
                    child.kill().unwrap();
                    panic!("{command:?} still reading after 20 s");
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{command:?}: {stderr}");
            assert!(
                stderr.contains(path) && stderr.contains("1 MiB"),
                "{stderr}"
            );
            assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
            assert!(!tmp.path().join("out").exists());
        }
    }
}

#[test]
fn a_poisson_casualty_count_refused_for_its_tail_says_so() {
    // A mean of 900 is below the limit of 1000 casualties per encounter,
    // but its tail is not.
    rejects(
        &edit(
            "encounter_rate = 0.001",
            "encounter_rate = 0.001\ncasualties_per_encounter = { poisson = 900 }",
        ),
        &[
            "scenario.a.aftermath.casualties_per_encounter",
            "Poisson",
            "tail",
            "1000",
            "284",
        ],
    );
    rejects(
        &edit(
            "encounter_rate = 0.001",
            "encounter_rate = 0.001\ncasualties_per_encounter = { uniform = [1, 5000] }",
        ),
        &[
            "scenario.a.aftermath.casualties_per_encounter",
            "5000",
            "1000",
        ],
    );
}

#[test]
fn overflowing_carriers_times_submunitions_is_rejected() {
    rejects(
        &edit("carriers = 10", "carriers = 9223372036854775807"),
        &["scenario.a.strikes[0]", "limit"],
    );
    rejects(
        &edit("carriers = 10", "carriers = { poisson = 1e12 }")
            .replace("submunitions = 72", "submunitions = 1000"),
        &["scenario.a.strikes[0]", "limit"],
    );
}

#[test]
fn empty_invalid_and_duplicate_inputs_are_rejected() {
    rejects("", &["bad.toml", "no scenario"]);
    rejects(
        "title = \"x\"\ntitle = \"y\"\n",
        &["bad.toml:2:", "not valid TOML"],
    );
    rejects(
        "[simulation\nreplicates = 1\n",
        &["bad.toml:1:", "not valid TOML"],
    );
    rejects(
        &format!(
            "{VALID}\n[[scenario]]\nname = \"a\"\nstrikes = [ {{ munition = \"X\", carriers = 1 }} ]\n"
        ),
        &["scenario", "named \"a\""],
    );
    rejects(
        &edit(
            "strikes = [ { munition = \"X\", carriers = 10 } ]",
            "strikes = []",
        ),
        &["scenario.a.strikes", "at least one"],
    );
}

#[test]
fn spatial_keys_are_validated() {
    let spatial = |area: &str, strike: &str| {
        edit(
            "strikes = [ { munition = \"X\", carriers = 10 } ]",
            &format!("strikes = [ {strike} ]\n[scenario.area]\n{area}"),
        )
    };
    let ok_strike =
        "{ munition = \"X\", carriers = 10, target = [100, 100, 400, 400], cep_m = 50 }";
    let ok_area = "width_m = 1000\nheight_m = 1000\ncell_m = 50";
    rejects(
        &spatial(
            ok_area,
            "{ munition = \"X\", carriers = 10, target = [100, 100, 1400, 400], cep_m = 50 }",
        ),
        &["scenario.a.strikes[0].target", "outside the area"],
    );
    rejects(
        &spatial("width_m = 1000\nheight_m = 1000\ncell_m = 0", ok_strike),
        &["scenario.a.area.cell_m", "greater than 0"],
    );
    rejects(
        &spatial("width_m = 1000\nheight_m = 1000\ncell_m = -5", ok_strike),
        &["scenario.a.area.cell_m"],
    );
    rejects(
        &spatial(
            "width_m = 1000000\nheight_m = 1000000\ncell_m = 0.05",
            ok_strike,
        ),
        &["scenario.a.area.cell_m", "cells"],
    );
    rejects(
        &spatial(ok_area, "{ munition = \"X\", carriers = 10, cep_m = 50 }"),
        &["scenario.a.strikes[0].target", "missing"],
    );
    rejects(
        &spatial(
            ok_area,
            "{ munition = \"X\", carriers = 100000000, target = [100, 100, 400, 400], cep_m = 50 }",
        ),
        &["scenario.a.strikes[0]", "with an area"],
    );
    rejects(
        &spatial(ok_area, ok_strike).replace("footprint_radius_m = 100\n", ""),
        &["scenario.a.strikes[0].munition", "footprint_radius_m"],
    );
}

#[test]
fn command_line_mistakes_exit_2() {
    let tmp = temp_dir();
    for args in [
        &["run", "--replicates", "0", "--out", "out"][..],
        &["run", "--replicates", "-3", "--out", "out"],
        &["run", "--seed", "-1", "--out", "out"],
        &["run", "--threads", "0", "--out", "out"],
        &["run", "missing.toml", "--out", "out"],
        &["frobnicate"],
        &["catalog", "NOPE"],
        &["check"],
    ] {
        dudsim(args).current_dir(tmp.path()).fails_with(2);
        assert!(!tmp.path().join("out").exists());
    }
    let out = dudsim(["run", "missing.toml"])
        .current_dir(tmp.path())
        .output();
    assert!(stderr(&out).contains("missing.toml"));
}

#[test]
fn an_output_directory_that_is_a_file_is_refused_before_running() {
    let tmp = temp_dir();
    std::fs::write(tmp.path().join("out"), "not a directory").unwrap();
    for command in ["run", "validate", "sensitivity"] {
        let out = dudsim([command, "--out", "out"])
            .current_dir(tmp.path())
            .fails_with(2);
        let stderr = stderr(&out);
        assert!(stderr.contains("not a directory"), "{command}: {stderr}");
    }
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("out")).unwrap(),
        "not a directory"
    );
}

#[test]
fn mangled_files_are_rejected_or_accepted_but_never_panic() {
    // Deterministic mutations of a valid file (and of the default scenario):
    // deleted, duplicated and replaced characters, including inside numbers,
    // keys and brackets. Parsing must return, never panic; what it accepts
    // must run.
    use rand::{RngExt, SeedableRng};
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(99);
    let default = dudsim::default_text();
    let pieces = [
        "0", "-", "1e400", "nan", "[", "]", "{", "}", "=", "\"", "\n", ",", ".", "9",
    ];
    for source in [VALID, default] {
        for _ in 0..1500 {
            let mut text: Vec<char> = source.chars().collect();
            for _ in 0..rng.random_range(1..4) {
                let at = rng.random_range(0..text.len());
                match rng.random_range(0..3) {
                    0 => {
                        text.remove(at);
                    }
                    1 => text.insert(at, text[at]),
                    _ => {
                        let piece = pieces[rng.random_range(0..pieces.len())];
                        text.splice(at..at + 1, piece.chars());
                    }
                }
            }
            let text: String = text.into_iter().collect();
            // What is accepted must also run.
            if let Ok(file) = ScenarioFile::parse("mangled.toml", &text) {
                let engine = Engine::new(&file, &RunSettings::from_file(&file));
                RunStats::collect(&engine, 0..2, &|_| {});
            }
        }
    }
}

#[test]
fn validation_time_grows_linearly_with_the_number_of_munitions() {
    // 40,000 munitions, each fired by its own strike: looking each id up by
    // scanning the ones before made this quadratic (about 14 s; 1e5 took
    // over a minute). The file is parsed in-process, past the size limit
    // of files read from disk.
    let n = 40_000;
    let mut text = String::from("[simulation]\nsteps = 0\n");
    for i in 0..n {
        text.push_str(&format!(
            "[[munition]]\nid = \"M{i}\"\nsubmunitions = 2\ndud_rate = 0.1\n"
        ));
    }
    text.push_str("[[scenario]]\nname = \"a\"\nstrikes = [");
    for i in 0..n {
        text.push_str(&format!("{{ munition = \"M{i}\", carriers = 1 }},"));
    }
    text.push_str("]\n");
    let started = std::time::Instant::now();
    let file = ScenarioFile::parse("many.toml", &text).unwrap();
    let engine = Engine::new(&file, &RunSettings::from_file(&file));
    let elapsed = started.elapsed().as_secs_f64();
    assert_eq!(file.munitions().len(), n);
    assert_eq!(engine.plans().len(), 1);
    assert!(
        elapsed < 4.0,
        "validating {n} munitions took {elapsed:.1} s"
    );
}

/// `n` scenarios of `steps` steps of aftermath, `replicates` replicates.
fn many_steps(n: usize, steps: u64, replicates: u64) -> String {
    let mut text = format!(
        "[simulation]\nreplicates = {replicates}\nsteps = {steps}\n\
         [[munition]]\nid = \"X\"\nsubmunitions = 72\ndud_rate = {{ uniform = [0.1, 0.4] }}\n"
    );
    for i in 0..n {
        text.push_str(&format!(
            "[[scenario]]\nname = \"s{i}\"\nstrikes = [ {{ munition = \"X\", carriers = {} }} ]\n\
             [scenario.aftermath]\nencounter_rate = 0.001\nclearance_rate = 0.0005\n",
            1000 + i
        ));
    }
    text
}

#[test]
fn runs_that_would_exhaust_memory_are_refused_with_the_estimate() {
    // 100 scenarios x 10,000 steps x 10 replicates, a 14 KB file, aborted
    // after taking 4 to 8 GB; a 1e8-cell grid passed `check` and took
    // 5.5 GB to run.
    let started = std::time::Instant::now();
    rejects(
        &many_steps(100, 10_000, 10),
        &[
            "bad.toml",
            "memory",
            "GiB",
            "above the limit of 4.0 GiB",
            "--max-memory",
        ],
    );
    let big_grid = edit(
        "strikes = [ { munition = \"X\", carriers = 10 } ]",
        "strikes = [ { munition = \"X\", carriers = 10, target = [100, 100, 400, 400], cep_m = 50 } ]\n\
         [scenario.area]\nwidth_m = 10000\nheight_m = 10000\ncell_m = 1",
    );
    rejects(
        &big_grid,
        &["bad.toml", "100,000,000 cells", "--max-memory"],
    );
    assert!(started.elapsed().as_secs() < 20, "refused too slowly");
}

#[test]
fn a_raised_memory_limit_lets_a_large_run_go_ahead_and_a_lowered_one_stops_a_small_one() {
    let tmp = temp_dir();
    let t = tmp.path();
    std::fs::write(t.join("f.toml"), VALID).unwrap();
    let out = dudsim(["check", "f.toml", "--max-memory", "1MiB"])
        .current_dir(t)
        .fails_with(2);
    let stderr = stderr(&out);
    assert!(stderr.contains("above the limit of 1.0 MiB"), "{stderr}");
    dudsim(["run", "f.toml", "--max-memory", "1MiB", "--out", "out"])
        .current_dir(t)
        .fails_with(2);
    assert!(!t.join("out").exists());
    for bad in ["4", "4X", "-1GiB", "0GiB", "lots"] {
        dudsim(["check", "f.toml", "--max-memory", bad])
            .current_dir(t)
            .fails_with(2);
    }
    std::fs::write(t.join("big.toml"), many_steps(100, 10_000, 10)).unwrap();
    let out = dudsim(["check", "big.toml", "--max-memory", "64GiB"])
        .current_dir(t)
        .ok();
    let stdout = stdout(&out);
    assert!(stdout.contains("GiB of memory"), "{stdout}");
}

#[test]
fn spatial_strikes_that_would_run_for_days_are_refused_with_the_estimate() {
    // 4e9 single-submunition carriers, each placed one by one, took about
    // a minute per replicate: 10,000 replicates would take a week or more.
    let file = edit(
        "strikes = [ { munition = \"X\", carriers = 10 } ]",
        "strikes = [ { munition = \"X\", carriers = 4000000000, target = [100, 100, 400, 400], cep_m = 50 } ]\n\
         [scenario.area]\nwidth_m = 1000\nheight_m = 1000\ncell_m = 100",
    )
    .replace("submunitions = 72", "submunitions = 1")
    .replace("replicates = 100", "replicates = 10000");
    rejects(
        &file,
        &[
            "bad.toml",
            "hours of processor time",
            "4.0e9 carriers",
            "limit of 24 hours",
            "--max-cpu-hours",
        ],
    );
}

#[test]
fn a_precision_that_cannot_be_reached_within_the_cap_stops_at_once() {
    // --precision 1e-9 ran for about 14 hours to the cap of 1e8 replicates,
    // although the first batch showed that about 1e17 would be needed.
    let tmp = temp_dir();
    std::fs::write(tmp.path().join("f.toml"), VALID).unwrap();
    for extra in [&[][..], &["--replicates", "500000"]] {
        let started = std::time::Instant::now();
        let out = dudsim(["run", "f.toml", "--precision", "1e-9", "--out", "out"])
            .args(extra)
            .current_dir(tmp.path())
            .fails_with(2);
        let stderr = stderr(&out);
        assert!(
            stderr.contains("would need about") && stderr.contains("replicates"),
            "{stderr}"
        );
        assert!(stderr.contains("cap"), "{stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
        assert!(!tmp.path().join("out").exists());
        assert!(started.elapsed().as_secs() < 20, "stopped too late");
    }
}
