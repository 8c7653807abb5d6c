//! What the integration tests share: the `dudsim` binary as a command
//! builder, scenarios from text, replicates sampled through the library,
//! Monte Carlo estimates checked against closed forms at tolerances derived
//! from their standard errors, and checks of the charts and pages written.

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use dudsim::{
    DudSampling, Engine, MANIFEST, ReplicateOutcome, RunSettings, RunStats, ScenarioFile,
};

/// How many standard errors an estimate may stray from its closed form.
pub const Z: f64 = 5.0;

/// The `dudsim` binary with some arguments, to be run.
#[must_use = "a command does nothing until it runs"]
pub struct Dudsim {
    command: Command,
    shown: Vec<String>,
}

/// `dudsim` with `args`.
pub fn dudsim<S: AsRef<OsStr>>(args: impl IntoIterator<Item = S>) -> Dudsim {
    Dudsim {
        command: Command::new(env!("CARGO_BIN_EXE_dudsim")),
        shown: Vec::new(),
    }
    .args(args)
}

impl Dudsim {
    /// One more argument.
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.shown.push(arg.as_ref().to_string_lossy().into_owned());
        self.command.arg(arg);
        self
    }

    /// More arguments.
    pub fn args<S: AsRef<OsStr>>(self, args: impl IntoIterator<Item = S>) -> Self {
        args.into_iter().fold(self, Dudsim::arg)
    }

    /// Run in `dir` (relative paths in the arguments are under it).
    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.command.current_dir(dir);
        self
    }

    /// With an environment variable set.
    pub fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> Self {
        self.command.env(key, value);
        self
    }

    /// The command itself, for tests that read its output as it runs or
    /// send it signals.
    pub fn command(self) -> Command {
        self.command
    }

    /// Starts it with standard output and error piped.
    pub fn spawn(mut self) -> std::process::Child {
        self.command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the dudsim binary starts")
    }

    /// Runs it to the end, whatever its exit status.
    pub fn output(mut self) -> Output {
        self.command
            .stdin(Stdio::null())
            .output()
            .expect("the dudsim binary runs")
    }

    /// Runs it and fails the test unless it exits with status 0.
    pub fn ok(self) -> Output {
        let shown = self.shown.clone();
        let out = self.output();
        assert!(
            out.status.success(),
            "dudsim {shown:?} failed ({}):\n{}",
            out.status,
            stderr(&out)
        );
        out
    }

    /// Runs it and fails the test unless it exits with status `code`,
    /// without panicking.
    pub fn fails_with(self, code: i32) -> Output {
        let shown = self.shown.clone();
        let out = self.output();
        let text = stderr(&out);
        assert_eq!(
            out.status.code(),
            Some(code),
            "dudsim {shown:?} ended with {} instead of status {code}:\n{text}",
            out.status
        );
        assert!(!text.contains("panicked"), "dudsim {shown:?}: {text}");
        out
    }
}

/// What a command printed on its standard output.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What a command printed on its standard error.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A fresh, empty directory, removed when dropped.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

/// `path` as UTF-8, for an argument list of `&str`.
pub fn utf8(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// A validated scenario file from text.
pub fn scenario(text: &str) -> ScenarioFile {
    ScenarioFile::parse("test.toml", text).unwrap_or_else(|e| panic!("invalid test scenario: {e}"))
}

/// The statistics of replicates `replicates` of every scenario of `file`,
/// with its seed, on the current rayon pool.
pub fn collect(file: &ScenarioFile, replicates: std::ops::Range<u64>) -> RunStats {
    let engine = Engine::new(file, &RunSettings::from_file(file));
    RunStats::collect(&engine, replicates, &|_| {})
}

/// Every replicate's outcome for scenario `index`, replicates `0..n`.
pub fn outcomes(file: &ScenarioFile, index: usize, n: u64) -> Vec<ReplicateOutcome> {
    outcomes_with(Engine::new(file, &RunSettings::from_file(file)), index, n)
}

/// As [`outcomes`], drawing duds carrier by carrier.
pub fn outcomes_per_carrier(file: &ScenarioFile, index: usize, n: u64) -> Vec<ReplicateOutcome> {
    outcomes_with(
        Engine::new(file, &RunSettings::from_file(file)).with_dud_sampling(DudSampling::PerCarrier),
        index,
        n,
    )
}

fn outcomes_with(engine: Engine, index: usize, n: u64) -> Vec<ReplicateOutcome> {
    (0..n)
        .map(|r| {
            let mut out = ReplicateOutcome::default();
            engine.simulate_replicate(index, r, &mut out);
            out
        })
        .collect()
}

/// Sample moments of a list of values.
pub struct Moments {
    pub n: f64,
    pub mean: f64,
    pub variance: f64,
    /// Fourth central moment, for the standard error of the variance.
    pub m4: f64,
}

pub fn moments(values: &[f64]) -> Moments {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let m2 = values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
    let m4 = values.iter().map(|x| (x - mean).powi(4)).sum::<f64>() / n;
    Moments {
        n,
        mean,
        variance: m2 * n / (n - 1.0),
        m4,
    }
}

/// Checks a sample mean against its closed form; the standard error comes
/// from the closed-form variance, so a wrong spread cannot widen it.
pub fn assert_mean(label: &str, values: &[f64], mean: f64, variance: f64) {
    if variance == 0.0 {
        assert!(
            values
                .iter()
                .all(|&v| (v - mean).abs() <= 1e-9 * mean.abs().max(1.0)),
            "{label}: a quantity with no variance differs from {mean}"
        );
        return;
    }
    let m = moments(values);
    let se = (variance / m.n).sqrt();
    let z = (m.mean - mean) / se;
    assert!(
        z.abs() <= Z,
        "{label}: mean {} vs closed form {mean} is {z:.2} standard errors off (se {se})",
        m.mean
    );
}

/// Checks a sample variance against its closed form; the standard error of
/// the sample variance is sqrt((μ₄ − σ⁴)/n), with μ₄ estimated from the sample.
pub fn assert_variance(label: &str, values: &[f64], variance: f64) {
    let m = moments(values);
    if variance == 0.0 {
        assert_eq!(
            m.variance, 0.0,
            "{label}: a quantity with no variance varies"
        );
        return;
    }
    let se = ((m.m4 - m.variance.powi(2)) / m.n).sqrt();
    let z = (m.variance - variance) / se;
    assert!(
        z.abs() <= Z,
        "{label}: variance {} vs closed form {variance} is {z:.2} standard errors off (se {se})",
        m.variance
    );
}

/// Checks mean and variance.
pub fn assert_moments(label: &str, values: &[f64], mean: f64, variance: f64) {
    assert_mean(label, values, mean, variance);
    assert_variance(label, values, variance);
}

/// The initial UXO of each outcome, as floats.
pub fn unexploded(outcomes: &[ReplicateOutcome]) -> Vec<f64> {
    outcomes.iter().map(|o| o.unexploded as f64).collect()
}

/// Width and height from a PNG file's IHDR chunk; panics if it is not a PNG.
pub fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.len() > 24, "too short for a PNG");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR", "first chunk is IHDR");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&bytes[16..20]), be(&bytes[20..24]))
}

/// All the text of an SVG document's `<text>` elements, joined by spaces;
/// panics if the document is not well-formed XML with an `<svg>` root.
pub fn svg_text(svg: &str) -> String {
    let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Checks that `dir/NAME.png` is a PNG of the size its SVG states (at
/// least 1200 x 800) and that `dir/NAME.svg` is well-formed with `title`
/// and every one of `names` in its text; returns the SVG.
pub fn assert_chart(dir: &Path, name: &str, title: &str, names: &[&str]) -> String {
    let png = std::fs::read(dir.join(format!("{name}.png"))).unwrap();
    let (w, h) = png_size(&png);
    assert!(w >= 1200 && h >= 800, "{name}.png is {w}x{h}");

    let svg = std::fs::read_to_string(dir.join(format!("{name}.svg"))).unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    let root = doc.root_element();
    let stated = |attr: &str| root.attribute(attr).and_then(|v| v.parse::<u32>().ok());
    assert_eq!(
        (stated("width"), stated("height")),
        (Some(w), Some(h)),
        "{name}.svg and {name}.png differ in size"
    );
    let text = svg_text(&svg);
    assert!(
        text.contains(title),
        "{name}.svg lacks its title; text: {text}"
    );
    for n in names {
        assert!(text.contains(n), "{name}.svg lacks \"{n}\"");
    }
    svg
}

/// Checks that an HTML page references nothing external: no scripts, style
/// sheets, fonts or images from elsewhere.
pub fn assert_self_contained(html: &str) {
    let lower = html.to_lowercase();
    for bad in [
        "src=\"http",
        "href=\"http",
        "src='http",
        "href='http",
        "<script",
        "<link",
        "url(",
        "@import",
    ] {
        assert!(
            !lower.contains(bad),
            "the page references something external: {bad}"
        );
    }
}

/// The names of the files in `dir`, sorted, without the manifest in which
/// dudsim lists the files it wrote (the output directory's tests check
/// that one).
pub fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != MANIFEST)
        .collect();
    names.sort();
    names
}

/// Every file in `dir` (the manifest included) with its bytes, sorted by
/// name: what two runs must agree on byte for byte.
pub fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// A file written into `dir`, as text.
pub fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name))
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.join(name).display()))
}

/// The `summary.json` in `dir`, parsed.
pub fn summary_json(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&read(dir, "summary.json")).expect("summary.json is JSON")
}

/// Property tests' settings: `cases` cases from a fixed seed, so that a
/// run is repeatable, and no files of past failures.
pub fn proptest_config(cases: u32) -> proptest::test_runner::Config {
    proptest::test_runner::Config {
        cases,
        rng_seed: proptest::test_runner::RngSeed::Fixed(20_260_101),
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    }
}
