//! The command line as a power user meets it: `--json` on every command
//! that prints a table, `-` for standard input, `--set` and
//! `sweep --param` over any input named as in sensitivity.csv, shell
//! completions and the manual page.

use std::io::Write;
use std::path::Path;
use std::process::Stdio;

use crate::common::{dudsim, stderr, stdout, summary_json, temp_dir};

/// The built-in default scenario's text.
fn example() -> String {
    stdout(&dudsim(["example"]).ok())
}

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(out)))
}

#[test]
fn every_command_that_prints_a_table_prints_json_instead() {
    let tmp = temp_dir();
    let t = tmp.path();
    let file = t.join("ex.toml");
    std::fs::write(&file, example()).unwrap();
    let dir = |name: &str| t.join(name);

    let run = json(
        &dudsim(["run", "-n", "64", "--no-charts", "--json", "-o"])
            .arg(dir("run"))
            .ok(),
    );
    assert_eq!(run["replicates"], 64);
    assert_eq!(
        run,
        summary_json(&dir("run")),
        "--json is what summary.json holds"
    );

    for i in 1..=2 {
        dudsim(["run", "-n", "64", "-q", "--shard", &format!("{i}/2"), "-o"])
            .arg(dir(&format!("shard{i}")))
            .ok();
    }
    let merged = json(
        &dudsim(["merge", "--no-charts", "--json"])
            .args([dir("shard1"), dir("shard2")])
            .arg("-o")
            .arg(dir("merged"))
            .ok(),
    );
    assert_eq!(merged["scenarios"], run["scenarios"]);

    let sweep = json(
        &dudsim([
            "sweep",
            "--dud-rate",
            "0:0.5:3",
            "-n",
            "20",
            "--no-charts",
            "--json",
            "-o",
        ])
        .arg(dir("sweep"))
        .ok(),
    );
    assert_eq!(sweep["parameter"], "dud_rate");
    assert_eq!(sweep["replicates"], 20);

    let sensitivity = json(
        &dudsim([
            "sensitivity",
            "--samples",
            "16",
            "--no-charts",
            "--json",
            "-o",
        ])
        .arg(dir("sensitivity"))
        .ok(),
    );
    assert_eq!(sensitivity["samples"], 16);
    assert!(!sensitivity["rows"].as_array().unwrap().is_empty());

    let validate = json(
        &dudsim(["validate", "-n", "20", "--no-charts", "--json", "-o"])
            .arg(dir("validate"))
            .ok(),
    );
    assert_eq!(validate["replicates"], 20);
    assert!(validate["campaigns"].as_array().unwrap().len() >= 6);

    let check = json(&dudsim(["check", "--json"]).arg(&file).ok());
    assert_eq!(check["valid"], true);
    assert_eq!(check["scenarios"], 3);

    let catalog = json(&dudsim(["catalog", "--json"]).ok());
    assert!(catalog["munitions"].as_array().unwrap().len() >= 10);
    let one = json(&dudsim(["catalog", "m864", "--json"]).ok());
    assert_eq!(one["id"], "M864", "catalog look-up ignores case");
}

/// Runs `args` with `input` on standard input.
fn with_stdin(args: &[&str], dir: &Path, input: &[u8]) -> std::process::Output {
    let mut child = dudsim(args)
        .current_dir(dir)
        .command()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // A refused input may close the pipe before it is all written.
    let _ = stdin.write_all(input);
    drop(stdin);
    child.wait_with_output().unwrap()
}

#[test]
fn a_dash_reads_the_scenario_from_standard_input() {
    let tmp = temp_dir();
    let text = example();
    let out = with_stdin(
        &["run", "-", "-n", "50", "-q", "--no-charts", "-o", "a"],
        tmp.path(),
        text.as_bytes(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = summary_json(&tmp.path().join("a"));
    assert_eq!(summary["inputs"]["source"], "<stdin>");
    // The same numbers as from the file.
    std::fs::write(tmp.path().join("ex.toml"), &text).unwrap();
    dudsim(["run", "ex.toml", "-n", "50", "-q", "--no-charts", "-o", "b"])
        .current_dir(tmp.path())
        .ok();
    assert_eq!(
        summary["scenarios"],
        summary_json(&tmp.path().join("b"))["scenarios"]
    );

    for command in [
        &["check", "-"][..],
        &[
            "sweep",
            "-",
            "--dud-rate",
            "0:0.1:2",
            "-n",
            "10",
            "-q",
            "-o",
            "s",
        ],
        &["sensitivity", "-", "--samples", "16", "-q", "-o", "t"],
    ] {
        let out = with_stdin(command, tmp.path(), text.as_bytes());
        assert!(out.status.success(), "{command:?}: {}", stderr(&out));
    }

    // Errors name it `<stdin>`.
    let bad = text.replace("seed = 2026", "seed = -1");
    let out = with_stdin(&["check", "-"], tmp.path(), bad.as_bytes());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error: <stdin>:16:8: `simulation.seed`"),
        "{}",
        stderr(&out)
    );

    // Bounded like a file: over 1 MiB is refused without reading it all.
    let mut huge = text.into_bytes();
    huge.resize(3 << 20, b'#');
    let out = with_stdin(&["check", "-"], tmp.path(), &huge);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("<stdin>"), "{}", stderr(&out));
    assert!(stderr(&out).contains("MiB"), "{}", stderr(&out));
}

#[test]
fn set_changes_one_input_as_editing_the_file_would() {
    let tmp = temp_dir();
    let t = tmp.path();
    let text = example();
    let edited = text.replacen(
        "dud_rate = { uniform = [0.30, 0.40] }",
        "dud_rate = { uniform = [0.2, 0.25] }",
        1,
    );
    assert_ne!(edited, text);
    std::fs::write(t.join("edited.toml"), edited).unwrap();
    std::fs::write(t.join("ex.toml"), &text).unwrap();
    let set = "munition.9M55K.dud_rate={ uniform = [0.2, 0.25] }";
    dudsim([
        "run",
        "ex.toml",
        "-n",
        "80",
        "-q",
        "--no-charts",
        "--set",
        set,
        "--set",
        "scenario.9M55K, 30-40% duds.strikes[0].carriers=500",
        "-o",
        "set",
    ])
    .current_dir(t)
    .ok();
    let edited = std::fs::read_to_string(t.join("edited.toml"))
        .unwrap()
        .replacen("carriers = 1000", "carriers = 500", 1);
    std::fs::write(t.join("edited.toml"), edited).unwrap();
    dudsim([
        "run",
        "edited.toml",
        "-n",
        "80",
        "-q",
        "--no-charts",
        "-o",
        "file",
    ])
    .current_dir(t)
    .ok();
    let (by_set, by_file) = (summary_json(&t.join("set")), summary_json(&t.join("file")));
    assert_eq!(by_set["scenarios"], by_file["scenarios"]);
    assert_eq!(
        by_set["inputs"]["munitions"],
        by_file["inputs"]["munitions"]
    );
    assert_eq!(by_set["inputs"]["overrides"].as_array().unwrap().len(), 2);

    // The clearance inputs of a scenario on the map, as in sensitivity.csv.
    let village = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/decision/village.toml"
    );
    let out = dudsim([
        "check",
        village,
        "--json",
        "--set",
        "scenario.by risk.clearance.capacity_ha=5",
        "--set",
        "scenario.by risk.clearance.detection=0.9",
    ])
    .ok();
    assert_eq!(json(&out)["valid"], true);

    // Every check of the file applies, and the message names the --set.
    for (set, expected) in [
        (
            "munition.9M55K.dud_rate=35",
            "probabilities are fractions: 35% is 0.35",
        ),
        ("munition.9M55K.dud_rte=0.3", "did you mean `dud_rate`?"),
        ("munition.9M55.dud_rate=0.3", "did you mean munition.9M55K?"),
        (
            "scenario.by rsk.clearance.detection=0.9",
            "did you mean scenario.by risk?",
        ),
        (
            "scenario.by risk.clearance.capacty_ha=5",
            "did you mean `capacity_ha`?",
        ),
        (
            "scenario.by risk.clearance.detection=1.5",
            "a probability must lie between 0 and 1",
        ),
        ("simulation.replicates", "expected KEY=VALUE"),
    ] {
        let out = dudsim(["check", village, "--set", set]).fails_with(2);
        let text = stderr(&out);
        assert!(text.starts_with("error: "), "{set}: {text}");
        assert!(text.contains(expected), "{set}: {text}");
    }
}

#[test]
fn calibrate_takes_set_and_json_as_the_other_commands_do() {
    let tmp = temp_dir();
    let out = dudsim([
        "calibrate",
        "--example",
        "-q",
        "--particles",
        "50",
        "-o",
        "c",
    ])
    .args(["--set", "scenario.Lebanon 2006.aftermath.degradaton_rate=0"])
    .current_dir(tmp.path())
    .fails_with(2);
    assert!(
        stderr(&out).contains("did you mean `degradation_rate`?"),
        "{}",
        stderr(&out)
    );
    assert!(!tmp.path().join("c").exists());
}

#[test]
fn sweep_param_varies_any_input_and_names_it() {
    let tmp = temp_dir();
    let t = tmp.path();
    let key = "scenario.9M55K, 30-40% duds.aftermath.encounter_rate";
    dudsim([
        "sweep",
        "--param",
        &format!("{key}=0.001:0.003:3"),
        "-n",
        "60",
        "-q",
        "-o",
        "sweep",
    ])
    .current_dir(t)
    .ok();
    let csv = std::fs::read_to_string(t.join("sweep/sweep.csv")).unwrap();
    let header = csv.lines().next().unwrap();
    assert!(
        header.starts_with(&format!("scenario,\"{key}\",uxo_mean,")),
        "{header}"
    );
    let svg = std::fs::read_to_string(t.join("sweep/sweep.svg")).unwrap();
    assert!(svg.contains(key), "the chart names the parameter");

    // Each value is the run with that input set (a scenario without an
    // area: a sweep leaves the maps out, and with them their draws).
    std::fs::write(
        t.join("small.toml"),
        "[simulation]\nreplicates = 60\nsteps = 24\n\n[[scenario]]\nname = \"s\"\n\
         strikes = [{ munition = \"9M55K\", carriers = 20 }]\n\n[scenario.aftermath]\n\
         encounter_rate = 0.01\nclearance_rate = { uniform = [0.01, 0.03] }\n",
    )
    .unwrap();
    let key = "scenario.s.aftermath.encounter_rate";
    dudsim(["sweep", "small.toml", "-q", "--no-charts", "-o", "small"])
        .args(["--param", &format!("{key}=0.01:0.03:3")])
        .current_dir(t)
        .ok();
    dudsim(["run", "small.toml", "-q", "--no-charts", "-o", "run"])
        .args(["--set", &format!("{key}=0.02")])
        .current_dir(t)
        .ok();
    let csv = std::fs::read_to_string(t.join("small/sweep.csv")).unwrap();
    let row: Vec<&str> = csv.lines().nth(2).unwrap().split(',').collect();
    assert_eq!(row[1], "0.02", "{csv}");
    let run = summary_json(&t.join("run"));
    let horizon = run["scenarios"][0]["timeline"]
        .as_array()
        .unwrap()
        .last()
        .unwrap();
    for (column, figure) in [
        (2, &run["scenarios"][0]["unexploded"]),
        (6, &horizon["live"]),
        (9, &horizon["casualties"]),
    ] {
        let swept: f64 = row[column].parse().unwrap();
        let expected = figure["mean"].as_f64().unwrap();
        assert!(
            (swept - expected).abs() <= 0.005 + 1e-9 * expected,
            "column {column}: {swept} against {expected}"
        );
    }

    let out = dudsim([
        "sweep",
        "small.toml",
        "--param",
        &format!("{key}x=0:1:2"),
        "-o",
        "bad",
    ])
    .current_dir(t)
    .fails_with(2);
    assert!(
        stderr(&out).contains("did you mean `encounter_rate`?"),
        "{}",
        stderr(&out)
    );
    assert!(!t.join("bad").exists());
}

#[test]
fn bash_completions_source_cleanly_and_complete_commands_and_options() {
    let bin = env!("CARGO_BIN_EXE_dudsim");
    let script = format!(
        r#"set -e
source <("{bin}" completions bash)
complete -p dudsim
COMP_WORDS=(dudsim sen); COMP_CWORD=1; _dudsim dudsim sen dudsim; echo "commands: ${{COMPREPLY[*]}}"
COMP_WORDS=(dudsim run --thr); COMP_CWORD=2; _dudsim dudsim --thr run; echo "options: ${{COMPREPLY[*]}}"
"#
    );
    let out = std::process::Command::new("bash")
        .args(["-c", &script])
        .output()
        .expect("bash runs");
    let text = stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    assert!(text.contains("-F _dudsim dudsim"), "{text}");
    assert!(text.contains("commands: sensitivity"), "{text}");
    assert!(text.contains("options: --threads"), "{text}");
    for shell in ["zsh", "fish", "powershell"] {
        let script = stdout(&dudsim(["completions", shell]).ok());
        assert!(
            script.contains("sensitivity") && script.contains("--replicates"),
            "{shell}"
        );
    }
    dudsim(["completions", "tcsh"]).fails_with(2);
}

#[test]
fn the_manual_pages_come_from_the_command_line_definition() {
    let page = stdout(&dudsim(["man"]).ok());
    assert!(page.contains(".TH dudsim 1"), "{page}");
    for command in ["run", "sweep", "sensitivity", "completions"] {
        assert!(page.contains(command), "{command}");
    }
    let run = stdout(&dudsim(["man", "run"]).ok());
    assert!(
        run.contains(".TH dudsim-run 1") || run.contains("dudsim\\-run"),
        "{run}"
    );
    assert!(
        run.contains("\\-\\-replicates") && run.contains("\\-\\-draws"),
        "{run}"
    );
    let out = dudsim(["man", "rn"]).fails_with(2);
    assert!(stderr(&out).contains("run"), "{}", stderr(&out));
}
