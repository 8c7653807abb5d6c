//! The output directory, through the real binary: map file names that never
//! collide, a commit that replaces a previous run's files all at once and
//! leaves the user's own files alone, no staging directory after any
//! failure or kill, and a bad `--out` refused before any computing.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{dudsim, listing, stderr, temp_dir};

/// The binary, for the tests that start it from a shell.
const BIN: &str = env!("CARGO_BIN_EXE_dudsim");

/// The file in which dudsim lists the files it wrote into a directory.
const MANIFEST: &str = ".dudsim-manifest";

/// Every file under `dir` by its path relative to `dir` (directories as
/// `NAME/` with no contents), the manifest included.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if entry.file_type().unwrap().is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                walk(root, &path, out);
            } else {
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The names of `snapshot`, for messages.
fn names(files: &BTreeMap<String, Vec<u8>>) -> Vec<&str> {
    files.keys().map(String::as_str).collect()
}

/// Hidden entries of `dir` (where staging directories would be left).
fn hidden(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect()
}

/// A TOML basic string.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A scenario file with one scenario per name, each with an area; scenario
/// `i` fires `i + 1` carriers of 10 submunitions that all fail, so the
/// density map of scenario `i` sums to exactly `10 (i + 1)` duds and tells
/// which scenario a map file belongs to.
fn named_scenarios(names: &[&str]) -> String {
    let mut text = String::from(
        "[simulation]\nreplicates = 2\nseed = 1\nsteps = 0\n\
         [[munition]]\nid = \"X\"\nsubmunitions = 10\ndud_rate = 1\nfootprint_radius_m = 5\n",
    );
    for (i, name) in names.iter().enumerate() {
        text.push_str(&format!(
            "[[scenario]]\nname = {}\n\
             strikes = [ {{ munition = \"X\", carriers = {}, target = [100, 100, 300, 300], cep_m = 10 }} ]\n\
             [scenario.area]\nwidth_m = 400\nheight_m = 400\ncell_m = 50\n",
            quoted(name),
            i + 1
        ));
    }
    text
}

/// The sum of the `mean` column of a density CSV, rounded.
fn csv_total(text: &str) -> u64 {
    let total: f64 = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap().parse::<f64>().unwrap())
        .sum();
    total.round() as u64
}

/// The sum of the cells of an ESRI ASCII grid, rounded.
fn asc_total(text: &str) -> u64 {
    let total: f64 = text
        .lines()
        .skip(6)
        .flat_map(|l| l.split(' '))
        .map(|v| v.parse::<f64>().unwrap())
        .sum();
    total.round() as u64
}

/// Runs `names` as scenarios and checks that every scenario has its own
/// three map files, under unique, non-empty and short names.
fn check_map_names(names: &[&str]) {
    let tmp = temp_dir();
    std::fs::write(tmp.path().join("s.toml"), named_scenarios(names)).unwrap();
    dudsim(["run", "s.toml", "--quiet", "--no-charts", "--out", "out"])
        .current_dir(tmp.path())
        .ok();
    let files = listing(&tmp.path().join("out"));
    for (stem, ext) in [
        ("density", "csv"),
        ("density", "asc"),
        ("p_contaminated", "asc"),
    ] {
        let prefix = format!("{stem}-");
        let suffix = format!(".{ext}");
        let own: Vec<&String> = files
            .iter()
            .filter(|f| f.starts_with(&prefix) && f.ends_with(&suffix))
            .collect();
        assert_eq!(
            own.len(),
            names.len(),
            "{names:?}: {stem}-NAME.{ext} files collide: {files:?}"
        );
        for f in &own {
            assert!(
                f.len() > prefix.len() + suffix.len() && !f.contains("-."),
                "{names:?}: an empty name part in {f}"
            );
            assert!(f.len() <= 120, "{names:?}: {f} is too long a file name");
            assert!(
                f.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)),
                "{names:?}: {f} is not a plain file name"
            );
        }
        if stem == "density" {
            // Each file holds its own scenario's map.
            let mut totals: Vec<u64> = own
                .iter()
                .map(|f| {
                    let text = std::fs::read_to_string(tmp.path().join("out").join(f)).unwrap();
                    if ext == "csv" {
                        csv_total(&text)
                    } else {
                        asc_total(&text)
                    }
                })
                .collect();
            totals.sort();
            let expected: Vec<u64> = (1..=names.len() as u64).map(|i| 10 * i).collect();
            assert_eq!(totals, expected, "{names:?}: maps overwrote each other");
        }
    }
}

#[test]
fn map_file_names_are_unique_and_non_empty_for_any_scenario_names() {
    let long_a = "x".repeat(300);
    let long_b = format!("{}y", "x".repeat(299));
    let fixed: Vec<Vec<&str>> = vec![
        vec!["A b", "a-b"],
        vec!["日本語", "!!!"],
        vec!["A b", "a-b", "A-B", "a  b", "-a-b-", "a_b", "A_B!"],
        vec!["日本語", "中文", "---", "?", "ñ", "é", " . "],
        vec![&long_a, &long_b, "x"],
        vec!["a", "a-2", "A", "scenario", "!"],
    ];
    for names in &fixed {
        check_map_names(names);
    }
    // Random sets over an alphabet that slugifies badly.
    let alphabet = ["a", "A", "-", " ", "!", "日", "1", "é", "_", "."];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) % n as u64) as usize
    };
    for _ in 0..8 {
        let mut set: Vec<String> = Vec::new();
        while set.len() < 6 {
            let len = 1 + next(4);
            let name: String = (0..len).map(|_| alphabet[next(alphabet.len())]).collect();
            // Scenario files trim names, and refuse blank ones.
            let name = name.trim().to_string();
            if !set.contains(&name) && !name.is_empty() {
                set.push(name);
            }
        }
        check_map_names(&set.iter().map(String::as_str).collect::<Vec<_>>());
    }
}

#[test]
fn ordinary_scenario_names_keep_their_map_file_names() {
    let tmp = temp_dir();
    dudsim([
        "run",
        "--replicates",
        "20",
        "--quiet",
        "--no-charts",
        "--out",
        "out",
    ])
    .current_dir(tmp.path())
    .ok();
    let files = listing(&tmp.path().join("out"));
    for name in [
        "density.csv",
        "density.asc",
        "p_contaminated.asc",
        "density-9m55k-30-40-duds.csv",
        "density-9m55k-30-40-duds.asc",
        "p_contaminated-9m55k-30-40-duds.asc",
        "density-m864-as-claimed-1-2-35-duds.asc",
        "p_contaminated-m864-as-measured-before-6-14-duds.asc",
    ] {
        assert!(files.iter().any(|f| f == name), "{name} missing: {files:?}");
    }
}

/// Two runs of different scenarios into one directory.
const FIRST: &str = "[simulation]\nreplicates = 30\nseed = 1\nsteps = 3\n\
    [[munition]]\nid = \"X\"\nsubmunitions = 10\ndud_rate = 0.5\nfootprint_radius_m = 20\n\
    [[scenario]]\nname = \"alpha\"\n\
    strikes = [ { munition = \"X\", carriers = 4, target = [100, 100, 300, 300], cep_m = 10 } ]\n\
    [scenario.area]\nwidth_m = 400\nheight_m = 400\ncell_m = 50\n\
    [scenario.aftermath]\nclearance_rate = 0.1\nencounter_rate = 0.01\n";

#[test]
fn a_second_run_removes_the_first_runs_files_and_keeps_the_users() {
    let tmp = temp_dir();
    let t = tmp.path();
    std::fs::write(t.join("first.toml"), FIRST).unwrap();
    dudsim(["run", "first.toml", "--quiet", "--out", "out"])
        .current_dir(t)
        .ok();
    let first = snapshot(&t.join("out"));
    assert!(first.contains_key("density-alpha.asc"));
    assert!(first.contains_key("live-uxo.png"));

    // The user's own files, beside and among dudsim's.
    std::fs::write(t.join("out/notes.txt"), "mine").unwrap();
    std::fs::create_dir(t.join("out/mine")).unwrap();
    std::fs::write(t.join("out/mine/more.txt"), "also mine").unwrap();

    // The default scenario, without charts, into the same directory.
    dudsim([
        "run",
        "--replicates",
        "20",
        "--quiet",
        "--no-charts",
        "--out",
        "out",
    ])
    .current_dir(t)
    .ok();
    dudsim([
        "run",
        "--replicates",
        "20",
        "--quiet",
        "--no-charts",
        "--out",
        "fresh",
    ])
    .current_dir(t)
    .ok();
    let mut expected = snapshot(&t.join("fresh"));
    expected.insert("notes.txt".into(), b"mine".to_vec());
    expected.insert("mine/".into(), Vec::new());
    expected.insert("mine/more.txt".into(), b"also mine".to_vec());
    let second = snapshot(&t.join("out"));
    assert_eq!(
        names(&second),
        names(&expected),
        "the directory holds exactly the second run's files and the user's"
    );
    assert!(second == expected, "a file differs from a fresh run's");
    assert!(hidden(t).is_empty(), "left behind: {:?}", hidden(t));
}

#[test]
fn the_manifest_never_makes_dudsim_delete_what_it_did_not_write() {
    let tmp = temp_dir();
    let t = tmp.path();
    let args = [
        "run",
        "--replicates",
        "10",
        "--quiet",
        "--no-charts",
        "--out",
        "out",
    ];
    dudsim(args).current_dir(t).ok();
    let manifest = std::fs::read_to_string(t.join("out").join(MANIFEST)).unwrap();
    assert!(manifest.lines().any(|l| l == "summary.json"), "{manifest}");
    // A hand-edited manifest naming paths outside the directory and a
    // directory: none of them is dudsim's to remove.
    std::fs::write(t.join("victim.txt"), "outside").unwrap();
    std::fs::create_dir(t.join("out/keep")).unwrap();
    std::fs::write(t.join("out/keep/a.txt"), "a").unwrap();
    std::fs::write(
        t.join("out").join(MANIFEST),
        format!("{manifest}../victim.txt\n/etc/hostname\nkeep\nkeep/a.txt\n.\n..\n\n"),
    )
    .unwrap();
    dudsim(args).current_dir(t).ok();
    assert_eq!(
        std::fs::read_to_string(t.join("victim.txt")).unwrap(),
        "outside"
    );
    assert_eq!(
        std::fs::read_to_string(t.join("out/keep/a.txt")).unwrap(),
        "a"
    );
    assert!(Path::new("/etc/hostname").exists() || !Path::new("/etc").exists());
    // The rewritten manifest is dudsim's own again.
    assert_eq!(
        std::fs::read_to_string(t.join("out").join(MANIFEST)).unwrap(),
        manifest
    );
}

#[test]
fn a_commit_that_fails_keeps_the_previous_output_and_leaves_no_staging() {
    let tmp = temp_dir();
    let t = tmp.path();
    let run = |seed: &str| {
        dudsim([
            "run",
            "--replicates",
            "20",
            "--seed",
            seed,
            "--quiet",
            "--no-charts",
            "--out",
            "out",
        ])
        .current_dir(t)
    };
    run("1").ok();
    // A directory of the user's where the next run writes a file: the
    // commit cannot complete.
    std::fs::remove_file(t.join("out/report.html")).unwrap();
    std::fs::create_dir(t.join("out/report.html")).unwrap();
    let before = snapshot(&t.join("out"));
    let failed = run("2").fails_with(1);
    let stderr = stderr(&failed);
    assert!(stderr.contains("report.html"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "one message: {stderr}");
    let after = snapshot(&t.join("out"));
    assert_eq!(names(&after), names(&before));
    assert!(
        after == before,
        "the failed run changed the previous output"
    );
    assert!(hidden(t).is_empty(), "left behind: {:?}", hidden(t));
}

#[cfg(unix)]
#[test]
fn a_write_that_fails_leaves_no_staging_and_the_previous_output() {
    // A file size limit makes a real write fail with EFBIG, for any user
    // (root included); SIGXFSZ is ignored so that the write returns the error.
    let tmp = temp_dir();
    let t = tmp.path();
    let args = "run --replicates 20 --quiet --no-charts --out out";
    dudsim(args.split(' '))
        .args(["--seed", "1"])
        .current_dir(t)
        .ok();
    let before = snapshot(&t.join("out"));
    let failed = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f 8 || exit 99; exec {BIN} {args} --seed 2"
        ))
        .current_dir(t)
        .output()
        .unwrap();
    let stderr = stderr(&failed);
    assert_eq!(failed.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot write"), "{stderr}");
    assert!(
        snapshot(&t.join("out")) == before,
        "the previous output changed"
    );
    assert!(hidden(t).is_empty(), "left behind: {:?}", hidden(t));
}

/// A scenario whose map files take long enough to write that a test can
/// catch the process while it writes them: 12 maps of 90,000 cells.
fn slow_maps() -> String {
    let mut text = String::from(
        "[simulation]\nreplicates = 2\nseed = 1\nsteps = 0\n\
         [[munition]]\nid = \"X\"\nsubmunitions = 10\ndud_rate = 1\nfootprint_radius_m = 100\n",
    );
    for i in 0..12 {
        text.push_str(&format!(
            "[[scenario]]\nname = \"s{i}\"\n\
             strikes = [ {{ munition = \"X\", carriers = {}, target = [500, 500, 2500, 2500], cep_m = 100 }} ]\n\
             [scenario.area]\nwidth_m = 3000\nheight_m = 3000\ncell_m = 10\n",
            i + 1
        ));
    }
    text
}

/// Starts `dudsim args` in `dir` and returns it once it has begun staging
/// files for `dir/out` (a hidden directory named after `out` appears).
fn start_and_catch_staging(dir: &Path, args: &[&str]) -> Child {
    let mut child = dudsim(args)
        .current_dir(dir)
        .command()
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        let staging = hidden(dir)
            .into_iter()
            .any(|n| n.starts_with(".out.dudsim") && !n.contains("probe"));
        if staging {
            return child;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("dudsim ended ({status}) before it was caught staging");
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no staging directory appeared"
        );
        std::thread::sleep(Duration::from_micros(300));
    }
}

/// Sends `signal` to a child process with the `kill` command.
fn signal(child: &Child, signal: &str) {
    let status = Command::new("kill")
        .args([format!("-{signal}"), child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// A directory holding one complete run (seed 1) and the user's notes, and
/// the snapshot of it.
fn previous_output(t: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::write(t.join("slow.toml"), slow_maps()).unwrap();
    dudsim([
        "run",
        "slow.toml",
        "--quiet",
        "--no-charts",
        "--seed",
        "1",
        "--out",
        "out",
    ])
    .current_dir(t)
    .ok();
    std::fs::write(t.join("out/notes.txt"), "mine").unwrap();
    snapshot(&t.join("out"))
}

const SLOW_SEED_2: [&str; 10] = [
    "run",
    "slow.toml",
    "--quiet",
    "--no-charts",
    "--threads",
    "1",
    "--seed",
    "2",
    "--out",
    "out",
];

#[cfg(unix)]
#[test]
fn sigterm_while_writing_leaves_no_staging_and_the_previous_output() {
    let tmp = temp_dir();
    let t = tmp.path();
    let before = previous_output(t);
    for sig in ["TERM", "INT"] {
        let mut child = start_and_catch_staging(t, &SLOW_SEED_2);
        signal(&child, sig);
        let status = child.wait().unwrap();
        assert!(!status.success(), "SIG{sig}: {status}");
        assert!(hidden(t).is_empty(), "SIG{sig} left {:?}", hidden(t));
        assert!(
            snapshot(&t.join("out")) == before,
            "SIG{sig} changed the previous output"
        );
    }
}

#[cfg(unix)]
#[test]
fn sigkill_while_writing_keeps_the_previous_output_and_the_next_run_cleans_up() {
    let tmp = temp_dir();
    let t = tmp.path();
    let before = previous_output(t);
    let mut child = start_and_catch_staging(t, &SLOW_SEED_2);
    let _ = child.kill();
    child.wait().unwrap();
    assert!(
        snapshot(&t.join("out")) == before,
        "SIGKILL changed the previous output"
    );
    // The next run into the same directory removes what the dead one left.
    dudsim([
        "run",
        "--replicates",
        "10",
        "--quiet",
        "--no-charts",
        "--out",
        "out",
    ])
    .current_dir(t)
    .ok();
    assert!(hidden(t).is_empty(), "left behind: {:?}", hidden(t));
    let after = snapshot(&t.join("out"));
    assert_eq!(
        after.get("notes.txt").map(Vec::as_slice),
        Some(&b"mine"[..])
    );
    assert!(!after.contains_key("density-s0.csv"), "{:?}", names(&after));
}

/// Runs `dudsim args` in `dir` and checks that it refuses at once (before
/// any computing: the runs given here would take hours) with exit status 2
/// and a message holding every one of `needles`.
fn refused_early(dir: &Path, args: &[&str], needles: &[&str]) {
    let mut child = dudsim(args)
        .current_dir(dir)
        .command()
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{args:?}: still computing after 60 s instead of refusing --out");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    for line in BufReader::new(child.stderr.take().unwrap()).lines() {
        stderr.push_str(&line.unwrap());
        stderr.push('\n');
    }
    assert_eq!(status.code(), Some(2), "{args:?}: {stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "one message: {stderr}");
    assert!(stderr.contains("--out"), "{args:?}: {stderr}");
    for needle in needles {
        assert!(
            stderr.to_lowercase().contains(&needle.to_lowercase()),
            "{args:?}: the message lacks {needle:?}: {stderr}"
        );
    }
}

/// A run that would take hours, into `out`.
fn long_run(out: &str) -> Vec<String> {
    [
        "run",
        "--replicates",
        "500000000",
        "--no-charts",
        "--out",
        out,
    ]
    .map(String::from)
    .to_vec()
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn a_bad_out_is_refused_before_computing_with_its_cause() {
    let tmp = temp_dir();
    let t = tmp.path();
    std::fs::write(t.join("file.txt"), "a file").unwrap();

    // A path under a regular file, for every command that writes files.
    for command in [
        long_run("file.txt/out"),
        [
            "sweep",
            "--dud-rate",
            "0:0.5:11",
            "--replicates",
            "100000000",
        ]
        .map(String::from)
        .to_vec(),
        ["validate", "--replicates", "1000000000"]
            .map(String::from)
            .to_vec(),
        ["sensitivity", "--samples", "1000000000"]
            .map(String::from)
            .to_vec(),
        ["merge", "nowhere"].map(String::from).to_vec(),
    ] {
        let mut args = command.clone();
        if !args.contains(&"--out".to_string()) {
            args.extend(["--out".to_string(), "file.txt/deeper/out".to_string()]);
        }
        refused_early(t, &strs(&args), &["file.txt", "not a directory"]);
    }

    // A dangling symbolic link.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(t.join("gone"), t.join("dangling")).unwrap();
        refused_early(
            t,
            &strs(&long_run("dangling")),
            &["symbolic link", "does not exist"],
        );
        assert!(std::fs::symlink_metadata(t.join("dangling")).is_ok());
        assert!(!t.join("gone").exists());
    }

    // A name longer than any file system allows.
    let long = "n".repeat(300);
    refused_early(t, &strs(&long_run(&long)), &["too long"]);
    refused_early(t, &strs(&long_run(&format!("{long}/out"))), &["too long"]);

    // Mount points: a directory swapped as a whole cannot be one.
    for mount in ["/dev/shm", "/proc", "/"] {
        if is_mount_point(Path::new(mount)) {
            refused_early(t, &strs(&long_run(mount)), &["mount point"]);
        }
    }

    // Places no one may write, root included.
    for place in [
        "/proc/dudsim-out",
        "/sys/dudsim-out",
        "/proc/sys/dudsim/out",
    ] {
        if Path::new(place).parent().unwrap().is_dir() {
            refused_early(t, &strs(&long_run(place)), &["cannot"]);
        }
    }
    assert!(hidden(t).is_empty(), "left behind: {:?}", hidden(t));
    let expected: &[&str] = if cfg!(unix) {
        &["dangling", "file.txt"]
    } else {
        &["file.txt"]
    };
    assert_eq!(listing(t), expected);
}

#[cfg(unix)]
fn is_mount_point(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let (Ok(meta), Some(parent)) = (std::fs::metadata(path), path.parent()) else {
        return path == Path::new("/");
    };
    std::fs::metadata(parent).is_ok_and(|p| p.dev() != meta.dev())
}

#[cfg(not(unix))]
fn is_mount_point(_: &Path) -> bool {
    false
}

#[cfg(unix)]
#[test]
fn a_read_only_out_is_refused_before_computing() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = temp_dir();
    let t = tmp.path();
    let locked = t.join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::create_dir(locked.join("out")).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    std::fs::set_permissions(locked.join("out"), std::fs::Permissions::from_mode(0o555)).unwrap();
    // Permissions bind everyone but root; /sys and /proc above cover root.
    let root = std::fs::write(locked.join("probe"), "").is_ok();
    if !root {
        refused_early(
            t,
            &strs(&long_run("locked/new")),
            &["permission denied", "locked"],
        );
        refused_early(
            t,
            &strs(&long_run("locked/out")),
            &["permission denied", "locked"],
        );
    }
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(locked.join("out"), std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn a_long_out_name_still_leaves_room_for_staging() {
    let tmp = temp_dir();
    let name = "n".repeat(250);
    for _ in 0..2 {
        dudsim([
            "run",
            "--replicates",
            "10",
            "--quiet",
            "--no-charts",
            "--out",
            &name,
        ])
        .current_dir(tmp.path())
        .ok();
    }
    assert!(tmp.path().join(&name).join("summary.json").exists());
    assert!(hidden(tmp.path()).is_empty());
}

#[cfg(unix)]
#[test]
fn a_symlink_to_another_file_system_is_written_through() {
    use std::os::unix::fs::MetadataExt;
    let shm = Path::new("/dev/shm");
    let tmp = temp_dir();
    let dev = |p: &Path| std::fs::metadata(p).unwrap().dev();
    if !shm.is_dir() || dev(shm) == dev(tmp.path()) {
        eprintln!("skipped: no second file system at /dev/shm");
        return;
    }
    let elsewhere = PathBuf::from(format!("/dev/shm/dudsim-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&elsewhere);
    std::fs::create_dir_all(elsewhere.join("real")).unwrap();
    std::fs::write(elsewhere.join("real/notes.txt"), "mine").unwrap();
    std::os::unix::fs::symlink(elsewhere.join("real"), tmp.path().join("link")).unwrap();
    let result = std::panic::catch_unwind(|| {
        for seed in ["1", "2"] {
            dudsim([
                "run",
                "--replicates",
                "10",
                "--seed",
                seed,
                "--quiet",
                "--no-charts",
                "--out",
                "link",
            ])
            .current_dir(tmp.path())
            .ok();
        }
        assert!(
            std::fs::symlink_metadata(tmp.path().join("link"))
                .unwrap()
                .file_type()
                .is_symlink(),
            "the link was replaced"
        );
        let summary = std::fs::read_to_string(elsewhere.join("real/summary.json")).unwrap();
        assert!(summary.contains("\"seed\": 2"));
        assert_eq!(
            std::fs::read_to_string(elsewhere.join("real/notes.txt")).unwrap(),
            "mine"
        );
        assert!(hidden(tmp.path()).is_empty());
        assert!(hidden(&elsewhere).is_empty(), "{:?}", hidden(&elsewhere));
    });
    let _ = std::fs::remove_dir_all(&elsewhere);
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

/// A previous complete output with the user's file and folder in it, a run
/// killed at a point of its commit, then a run that finishes: the directory
/// holds a complete run's files at every moment, the user's entries are
/// never lost, and the finishing run leaves nothing behind.
#[cfg(unix)]
#[test]
fn a_kill_at_any_point_of_the_commit_loses_nothing() {
    let run = |seed: &str, out: &str| {
        [
            "run",
            "--replicates",
            "10",
            "--no-charts",
            "--quiet",
            "--seed",
            seed,
            "--out",
            out,
        ]
        .map(String::from)
    };
    for point in ["swap", "exchanged"] {
        let tmp = temp_dir();
        let t = tmp.path();
        dudsim(strs(&run("1", "out"))).current_dir(t).ok();
        std::fs::write(t.join("out/notes.txt"), "mine").unwrap();
        std::fs::create_dir(t.join("out/mine")).unwrap();
        std::fs::write(t.join("out/mine/more.txt"), "also mine").unwrap();
        let before = snapshot(&t.join("out"));
        dudsim(strs(&run("2", "fresh2"))).current_dir(t).ok();
        dudsim(strs(&run("3", "fresh3"))).current_dir(t).ok();

        let mut child = dudsim(run("2", "out"))
            .current_dir(t)
            .env("DUDSIM_TEST_PAUSE", point)
            .command()
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let said = lines.next().map(|l| l.unwrap()).unwrap_or_default();
        assert_eq!(said, format!("dudsim: paused at {point}"));
        child.kill().unwrap();
        child.wait().unwrap();

        let now = snapshot(&t.join("out"));
        if point == "swap" {
            assert!(now == before, "{point}: the previous output changed");
        } else {
            // The new run's files, complete, and the user's file; the
            // user's folder waits beside it for the next run.
            let mut expected = snapshot(&t.join("fresh2"));
            expected.insert("notes.txt".into(), b"mine".to_vec());
            let user_dir_back = now.contains_key("mine/");
            if user_dir_back {
                expected.insert("mine/".into(), Vec::new());
                expected.insert("mine/more.txt".into(), b"also mine".to_vec());
            }
            assert_eq!(names(&now), names(&expected), "{point}");
            assert!(now == expected, "{point}: not the new run's files");
        }
        assert!(!hidden(t).is_empty(), "{point}: nothing left to clean up?");

        dudsim(strs(&run("3", "out"))).current_dir(t).ok();
        let mut expected = snapshot(&t.join("fresh3"));
        expected.insert("notes.txt".into(), b"mine".to_vec());
        expected.insert("mine/".into(), Vec::new());
        expected.insert("mine/more.txt".into(), b"also mine".to_vec());
        let after = snapshot(&t.join("out"));
        assert_eq!(
            names(&after),
            names(&expected),
            "{point}: after the next run"
        );
        assert!(after == expected, "{point}: after the next run");
        assert!(hidden(t).is_empty(), "{point}: left {:?}", hidden(t));
    }
}
