//! The command line: argument parsing and one function per
//! command. The binary is a thin wrapper around [`main`].

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::budget::{self, Limits, RunKind};
use crate::engine::{self, Engine, PrecisionStop, PrecisionTarget};
use crate::error::{Error, Result};
use crate::output::charts;
use crate::output::partial::{self, PARTIAL_FILE, Partial, Shard};
use crate::output::{self, StagedOutput, table};
use crate::scenario::{self, MAX_REPLICATES, ScenarioFile, catalog};
use crate::sweep::{self, DudRates};

/// dudsim: how many unexploded cluster submunitions are left, where, for
/// how long, and how many people they will hurt.
#[derive(Debug, Parser)]
#[command(name = "dudsim", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario file (or the built-in default scenario) and write the results.
    Run(RunArgs),
    /// Rerun a scenario file with every munition's dud rate fixed at each of a range of values.
    Sweep(SweepArgs),
    /// Validate a scenario file without running it, and estimate what a
    /// run of it needs.
    Check {
        /// The scenario file (TOML).
        file: PathBuf,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Print an annotated scenario file to start from.
    Example,
    /// List the built-in munitions, or show one with its sources.
    Catalog {
        /// A munition id, e.g. 9M55K.
        id: Option<String>,
    },
    /// Merge the partial results of `run --shard` into the results of one run.
    Merge(MergeArgs),
    /// Run the historical campaigns and set the simulated intervals beside
    /// the published estimates.
    Validate(ValidateArgs),
    /// Rank the uncertain inputs by how much of each output's variance they explain.
    Sensitivity(SensitivityArgs),
}

/// Randomness, parallelism and limits, shared by the commands that simulate.
#[derive(Debug, Args)]
pub struct SamplingArgs {
    /// Random seed (overrides the file).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// What a command may use; it refuses to start when its estimate is over.
#[derive(Debug, Args)]
pub struct LimitArgs {
    /// Refuse to start when the memory needed is estimated above SIZE
    /// (default 4GiB; e.g. 16GiB, 512MiB).
    #[arg(long, value_name = "SIZE", value_parser = budget::parse_size)]
    pub max_memory: Option<u64>,
    /// Refuse to start when the processor time needed is estimated above H
    /// hours, summed over all threads (default 24).
    #[arg(long, value_name = "H", value_parser = parse_hours)]
    pub max_cpu_hours: Option<f64>,
}

impl LimitArgs {
    /// The limits, defaults filled in.
    pub fn limits(&self) -> Limits {
        let default = Limits::default();
        Limits {
            memory: self.max_memory.unwrap_or(default.memory),
            cpu_hours: self.max_cpu_hours.unwrap_or(default.cpu_hours),
        }
    }
}

fn parse_hours(s: &str) -> std::result::Result<f64, String> {
    match s.parse::<f64>() {
        Ok(h) if h > 0.0 && h.is_finite() => Ok(h),
        _ => Err(format!(
            "expected a number of hours greater than 0 (e.g. 48), got \"{s}\""
        )),
    }
}

/// Where results go and how much is said, shared by the commands that
/// write files.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output directory. It is replaced as a whole once every file is
    /// written: the files an earlier dudsim command wrote there go, any
    /// other file stays.
    #[arg(long, default_value = "dudsim-out")]
    pub out: PathBuf,
    /// No progress bar and no table (files are still written).
    #[arg(long)]
    pub quiet: bool,
    /// Draw no charts (no PNG or SVG files); the HTML page then holds the
    /// tables only.
    #[arg(long)]
    pub no_charts: bool,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The scenario file (TOML); without it, the built-in default scenario.
    pub file: Option<PathBuf>,
    /// Number of replicates (overrides the file).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=MAX_REPLICATES))]
    pub replicates: Option<u64>,
    #[command(flatten)]
    pub sampling: SamplingArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Print the summary JSON on stdout instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Add replicates until the 95% confidence half-width of every
    /// scenario's expected UXO and casualties at the horizon is at most P
    /// times the mean (e.g. 0.01). --replicates then caps the count.
    #[arg(long, value_name = "P", value_parser = parse_precision, conflicts_with = "shard")]
    pub precision: Option<f64>,
    /// Compute only the I-th of N equal parts of the replicates and write a
    /// partial result for `dudsim merge`.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<Shard>,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The output directories of the shards.
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Print the summary JSON on stdout instead of the table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The scenario file (TOML); without it, the built-in default scenario.
    pub file: Option<PathBuf>,
    /// Dud rates to visit: COUNT evenly spaced values from FROM to TO, as
    /// fractions (0:0.5:11 is 0%, 5%, ..., 50%).
    #[arg(long, value_name = "FROM:TO:COUNT", value_parser = parse_dud_rates)]
    pub dud_rate: DudRates,
    /// Number of replicates per dud rate (overrides the file).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=MAX_REPLICATES))]
    pub replicates: Option<u64>,
    #[command(flatten)]
    pub sampling: SamplingArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct SensitivityArgs {
    /// The scenario file (TOML); without it, the built-in default scenario.
    pub file: Option<PathBuf>,
    /// Pick-freeze samples per scenario; each costs one run of the model per
    /// uncertain input, plus one. The indices' standard errors shrink as
    /// 1/sqrt(samples).
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(16..=MAX_REPLICATES))]
    pub samples: u64,
    #[command(flatten)]
    pub sampling: SamplingArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Number of replicates per campaign.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=MAX_REPLICATES))]
    pub replicates: Option<u64>,
    #[command(flatten)]
    pub sampling: SamplingArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

fn parse_dud_rates(text: &str) -> std::result::Result<DudRates, String> {
    text.parse()
}

fn parse_precision(s: &str) -> std::result::Result<f64, String> {
    match s.parse::<f64>() {
        Ok(p) if p > 0.0 && p < 1.0 => Ok(p),
        _ => Err(format!(
            "expected a relative half-width between 0 and 1 (e.g. 0.01 for 1%), got \"{s}\""
        )),
    }
}

/// Replicates a `--precision` run may use when `--replicates` does not cap it.
const DEFAULT_PRECISION_CAP: u64 = 100_000_000;

/// Runs the command line; returns the process exit status.
pub fn main() -> i32 {
    install_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match dispatch(cli.command) {
        Ok(()) => 0,
        Err(Error::Failure(m)) if m == BROKEN_PIPE => 0,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}

/// A bug should still end with one clear line, not a backtrace.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!("error: internal error{location}: {message} (please report this as a bug)");
    }));
}

fn dispatch(command: Command) -> Result<()> {
    let output = match &command {
        Command::Run(a) => Some(&a.output),
        Command::Sweep(a) => Some(&a.output),
        Command::Merge(a) => Some(&a.output),
        Command::Validate(a) => Some(&a.output),
        Command::Sensitivity(a) => Some(&a.output),
        Command::Check { .. } | Command::Example | Command::Catalog { .. } => None,
    };
    if let Some(output) = output {
        output::prepare_target(&output.out)?;
    }
    match command {
        Command::Run(args) => run(&args),
        Command::Sweep(args) => run_sweep(&args),
        Command::Check { file, limits } => check(&file, &limits.limits()),
        Command::Example => print(scenario::default_text()),
        Command::Catalog { id } => catalog(id.as_deref()),
        Command::Merge(args) => merge(&args),
        Command::Validate(args) => validate(&args),
        Command::Sensitivity(args) => sensitivity(&args),
    }
}

/// Marks a closed stdout (`dudsim run --json | head -1`), which is not an error.
const BROKEN_PIPE: &str = "stdout closed";

/// Writes to stdout; a closed pipe ends the program quietly.
fn print(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(Error::failure(BROKEN_PIPE)),
        Err(e) => Err(Error::failure(format!("cannot write to stdout: {e}"))),
    }
}

/// Loads the scenario file, or the built-in default.
fn load(file: Option<&PathBuf>) -> Result<ScenarioFile> {
    match file {
        Some(path) => Ok(ScenarioFile::load(path)?),
        None => Ok(ScenarioFile::builtin_default()),
    }
}

/// A progress bar on stderr when it is a terminal; a counter when the
/// total is not known in advance (`--precision`).
fn progress_bar(total: Option<u64>, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
    let template = if total.is_some() {
        "{spinner} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} replicates ({eta} left)"
    } else {
        "{spinner} [{elapsed_precise}] {human_pos} replicates, adding until precise enough"
    };
    bar.set_style(ProgressStyle::with_template(template).expect("valid progress template"));
    bar
}

/// Loads the scenario and applies the command line's replicates and seed.
fn load_with(
    file: Option<&PathBuf>,
    replicates: Option<u64>,
    seed: Option<u64>,
) -> Result<ScenarioFile> {
    let mut file = load(file)?;
    if let Some(r) = replicates {
        file.simulation.replicates = r;
    }
    if let Some(s) = seed {
        file.simulation.seed = s;
    }
    Ok(file)
}

fn seconds(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// Refuses a run of `replicates` replicates of `file` whose processor time
/// is estimated over the limit.
fn check_run_work(file: &ScenarioFile, replicates: u64, limits: &Limits) -> Result<()> {
    budget::check_work(
        file,
        &budget::run_work(file, replicates, &|_| 1.0, true),
        limits,
    )
}

fn run(args: &RunArgs) -> Result<()> {
    let mut file = load_with(args.file.as_ref(), args.replicates, args.sampling.seed)?;
    let pool = engine::thread_pool(args.sampling.threads.map(usize::from))?;
    let limits = args.sampling.limits.limits();
    let kind = match args.shard {
        Some(_) => RunKind::Shard,
        None => RunKind::Full {
            charts: !args.output.no_charts,
            precision: args.precision.is_some(),
        },
    };
    let copies = budget::stat_copies(&file, kind, pool.current_num_threads(), &limits)?;
    let engine = Engine::new(&file).with_stat_copies(copies);
    let replicates = file.simulation.replicates;

    if let Some(shard) = args.shard {
        shard
            .check_for(replicates)
            .map_err(|e| Error::usage(format!("--shard {}/{}: {e}", shard.index, shard.count)))?;
        let range = shard.range(replicates);
        check_run_work(&file, range.end - range.start, &limits)?;
        let bar = progress_bar(Some(range.end - range.start), args.output.quiet);
        let stats = pool.install(|| engine.run(range.clone(), &|n| bar.inc(n)));
        bar.finish_and_clear();
        let staged = StagedOutput::new(&args.output.out)?;
        staged.write(PARTIAL_FILE, Partial::new(&file, shard, stats).to_json())?;
        let dir = staged.commit()?;
        if !args.output.quiet {
            eprintln!(
                "Shard {}/{}: replicates {} to {} of {}, written to {}. \
                 Merge all shards with `dudsim merge DIR... --out DIR`.",
                shard.index,
                shard.count,
                range.start,
                range.end,
                replicates,
                dir.join(PARTIAL_FILE).display()
            );
        }
        return Ok(());
    }

    let started = Instant::now();
    let stats = match args.precision {
        Some(p) => {
            let target = PrecisionTarget {
                relative_half_width: p,
                max_replicates: args.replicates.unwrap_or(DEFAULT_PRECISION_CAP),
            };
            let bar = progress_bar(None, args.output.quiet);
            let allow = |n: u64| check_run_work(&file, n, &limits);
            let outcome = pool.install(|| engine.run_to_precision(target, &allow, &|n| bar.inc(n)));
            bar.finish_and_clear();
            let stats = match outcome {
                Ok(stats) => stats,
                Err(PrecisionStop::Refused(e)) => return Err(e),
                Err(PrecisionStop::Unreachable { done, needed }) => {
                    let cap = if args.replicates.is_some() {
                        format!(
                            "the cap of {} set by --replicates",
                            table::count(target.max_replicates as f64)
                        )
                    } else {
                        format!(
                            "the default cap of {} (--replicates sets another, up to {})",
                            table::count(target.max_replicates as f64),
                            table::count(MAX_REPLICATES as f64)
                        )
                    };
                    return Err(Error::usage(format!(
                        "--precision {} would need about {needed:.1e} replicates (projected from \
                         the spread of the first {}), above {cap}: ask for a coarser precision, \
                         or give --replicates alone for a fixed number of replicates",
                        scenario::quoted(p),
                        table::count(done as f64)
                    )));
                }
            };
            let used = stats.replicates();
            file.simulation.replicates = used;
            if !args.output.quiet {
                if (used as f64) < target.replicates_needed_for(&stats) {
                    eprintln!(
                        "warning: stopped at the cap of {} replicates before reaching a precision of {p}",
                        table::count(used as f64)
                    );
                } else {
                    eprintln!(
                        "{} replicates reached a 95% half-width of at most {p} x the mean \
                         for every scenario's UXO and casualties.",
                        table::count(used as f64)
                    );
                }
            }
            stats
        }
        None => {
            check_run_work(&file, replicates, &limits)?;
            let bar = progress_bar(Some(replicates), args.output.quiet);
            let stats = pool.install(|| engine.run(0..replicates, &|n| bar.inc(n)));
            bar.finish_and_clear();
            stats
        }
    };
    let simulated = started.elapsed();
    report(&args.output.out, &file, &stats, &pool, args, simulated)
}

/// What `report` needs to know of the command that ran.
struct ReportOptions {
    json: bool,
    quiet: bool,
    no_charts: bool,
}

impl From<&MergeArgs> for ReportOptions {
    fn from(a: &MergeArgs) -> Self {
        ReportOptions {
            json: a.json,
            quiet: a.output.quiet,
            no_charts: a.output.no_charts,
        }
    }
}

impl From<&RunArgs> for ReportOptions {
    fn from(a: &RunArgs) -> Self {
        ReportOptions {
            json: a.json,
            quiet: a.output.quiet,
            no_charts: a.output.no_charts,
        }
    }
}

/// Writes a finished run's files and prints its table (or JSON).
fn report(
    out: &std::path::Path,
    file: &ScenarioFile,
    stats: &crate::stats::RunStats,
    pool: &rayon::ThreadPool,
    options: impl Into<ReportOptions>,
    simulated: Duration,
) -> Result<()> {
    let options = options.into();
    let written = pool.install(|| output::write_results(out, file, stats, !options.no_charts))?;
    if options.json {
        print(&written.summary.to_json())?;
    } else if !options.quiet {
        print(&table::render(&written.summary))?;
        print(&format!(
            "\nResults written to {}/ (simulated in {}; {} in {}).\n",
            out.display(),
            seconds(simulated),
            if written.charts == 0 {
                "report written"
            } else {
                "charts and report drawn"
            },
            seconds(written.drawing)
        ))?;
    }
    Ok(())
}

fn merge(args: &MergeArgs) -> Result<()> {
    let (file, stats) = partial::merge(&args.shards)?;
    let pool = engine::thread_pool(None)?;
    report(&args.output.out, &file, &stats, &pool, args, Duration::ZERO)
}

fn validate(args: &ValidateArgs) -> Result<()> {
    let mut file = crate::validate::campaigns();
    if let Some(r) = args.replicates {
        file.simulation.replicates = r;
    }
    if let Some(s) = args.sampling.seed {
        file.simulation.seed = s;
    }
    let pool = engine::thread_pool(args.sampling.threads.map(usize::from))?;
    let limits = args.sampling.limits.limits();
    let copies = budget::stat_copies(
        &file,
        RunKind::Statistics,
        pool.current_num_threads(),
        &limits,
    )?;
    check_run_work(&file, file.simulation.replicates, &limits)?;
    let bar = progress_bar(Some(file.simulation.replicates), args.output.quiet);
    let rows = pool.install(|| crate::validate::run(&file, copies, &|n| bar.inc(n)));
    bar.finish_and_clear();
    let chart = if args.output.no_charts {
        None
    } else {
        let figure = charts::context::LogRows::validation(&rows, file.simulation.replicates);
        Some(charts::render(&figure)?)
    };
    let staged = StagedOutput::new(&args.output.out)?;
    staged.write("validate.csv", crate::validate::csv(&rows))?;
    staged.write_charts(chart.as_slice())?;
    staged.commit()?;
    if !args.output.quiet {
        print(&crate::validate::table(&rows, &file))?;
        print(&format!(
            "\nResults written to {}/\n",
            args.output.out.display()
        ))?;
    }
    Ok(())
}

fn run_sweep(args: &SweepArgs) -> Result<()> {
    let file = load_with(args.file.as_ref(), args.replicates, args.sampling.seed)?;
    let pool = engine::thread_pool(args.sampling.threads.map(usize::from))?;
    let total = file.simulation.replicates * args.dud_rate.count as u64;
    let limits = args.sampling.limits.limits();
    let counts_only = sweep::with_dud_rate(&file, 0.0);
    let copies = budget::stat_copies(
        &counts_only,
        RunKind::Sweep {
            points: args.dud_rate.count,
        },
        pool.current_num_threads(),
        &limits,
    )?;
    let mut work = budget::run_work(&counts_only, total, &|_| 1.0, false);
    work.what = format!(
        "{} dud rate(s) x {} replicates of {} scenario(s)",
        args.dud_rate.count,
        table::count(file.simulation.replicates as f64),
        file.scenarios.len()
    );
    work.fewer = "dud rates, replicates or steps".to_string();
    budget::check_work(&file, &work, &limits)?;

    let bar = progress_bar(Some(total), args.output.quiet);
    let result = pool.install(|| sweep::run(&file, &args.dud_rate, copies, &|n| bar.inc(n)));
    bar.finish_and_clear();

    let chart = if args.output.no_charts {
        None
    } else {
        let figure = charts::sweep::SweepChart::new(&result);
        Some(pool.install(|| charts::render(&figure))?)
    };

    let staged = StagedOutput::new(&args.output.out)?;
    staged.write("sweep.csv", output::csv::sweep(&result))?;
    staged.write_charts(chart.as_slice())?;
    let dir = staged.commit()?;

    if !args.output.quiet {
        print(&table::sweep(&result))?;
        print(&format!("\nResults written to {}/\n", dir.display()))?;
    }
    Ok(())
}

fn sensitivity(args: &SensitivityArgs) -> Result<()> {
    let file = load_with(args.file.as_ref(), None, args.sampling.seed)?;
    let pool = engine::thread_pool(args.sampling.threads.map(usize::from))?;
    let mut work = budget::run_work(&file, args.samples, &budget::sensitivity_runs(&file), false);
    work.what = format!(
        "{} pick-freeze samples of {} scenario(s)",
        table::count(args.samples as f64),
        file.scenarios.len()
    );
    work.fewer = "--samples, uncertain inputs or steps".to_string();
    budget::check_work(&file, &work, &args.sampling.limits.limits())?;
    let bar = progress_bar(
        Some(args.samples * file.scenarios.len() as u64),
        args.output.quiet,
    );
    let analysis = pool.install(|| crate::sensitivity::run(&file, args.samples, &|n| bar.inc(n)));
    bar.finish_and_clear();
    let charts = if args.output.no_charts {
        Vec::new()
    } else {
        pool.install(|| charts::tornado::charts(&analysis, &file))?
    };
    let page = output::sensitivity_report::render(&file, &analysis, &charts);
    let staged = StagedOutput::new(&args.output.out)?;
    staged.write("sensitivity.csv", analysis.csv())?;
    staged.write_charts(&charts)?;
    staged.write(output::sensitivity_report::PAGE, page)?;
    let dir = staged.commit()?;
    if !args.output.quiet {
        print(&analysis.table(&file))?;
        print(&format!(
            "\nResults written to {}/ ({}{} and {}).\n",
            dir.display(),
            "sensitivity.csv",
            if charts.is_empty() {
                String::new()
            } else {
                format!(", {} tornado chart(s)", charts.len())
            },
            output::sensitivity_report::PAGE
        ))?;
    }
    Ok(())
}

/// Validates a file, and refuses it when a run with the default settings
/// (all cores, charts) would be refused for its memory or time.
fn check(path: &std::path::Path, limits: &Limits) -> Result<()> {
    let file = ScenarioFile::load(path)?;
    let strikes: usize = file.scenarios.iter().map(|s| s.strikes.len()).sum();
    let workers = rayon::current_num_threads();
    let kind = RunKind::Full {
        charts: true,
        precision: false,
    };
    let copies = budget::stat_copies(&file, kind, workers, limits)?;
    let memory = budget::run_memory(&file, kind, workers, copies).total();
    let work = budget::run_work(&file, file.simulation.replicates, &|_| 1.0, true);
    budget::check_work(&file, &work, limits)?;
    print(&format!(
        "{}: valid. {} scenario(s), {} strike(s), {} munition(s); {} replicates, seed {}, {} {} step(s). \
         A run needs at most about {} of memory and {} hour(s) of processor time.\n",
        path.display(),
        file.scenarios.len(),
        strikes,
        file.munitions.len(),
        table::count(file.simulation.replicates as f64),
        file.simulation.seed,
        file.simulation.steps,
        file.simulation.step_unit,
        budget::bytes(memory),
        hours(work.cpu_hours),
    ))
}

/// Hours as the `check` line reads them: `0.01`, `2.5`, `30`.
fn hours(h: f64) -> String {
    if h < 0.01 {
        "under 0.01".to_string()
    } else if h < 10.0 {
        format!("{h:.2}")
    } else {
        format!("{h:.0}")
    }
}

fn catalog(id: Option<&str>) -> Result<()> {
    let Some(id) = id else {
        let mut out = String::from(
            "Built-in munitions (`dudsim catalog ID` shows the figures and sources):\n\n",
        );
        out.push_str(&format!(
            "{:<14} {:<34} {:>6}  {}\n",
            "ID", "Carrier", "Subm.", "Default dud rate"
        ));
        for m in catalog::entries() {
            out.push_str(&format!(
                "{:<14} {:<34} {:>6}  {}\n",
                m.id, m.carrier, m.submunitions, m.dud_rate
            ));
        }
        return print(&out);
    };
    let m = catalog::find(id).ok_or_else(|| {
        let ids: Vec<&str> = catalog::entries().iter().map(|m| m.id).collect();
        Error::usage(format!(
            "no munition \"{id}\" in the catalog; catalog ids: {}",
            ids.join(", ")
        ))
    })?;
    let mut out = format!(
        "{id}: {carrier}\n\
         Submunition:        {sub} ({country}), {n} per carrier{sd}\n\
         Claimed dud rate:   {claimed}\n\
         Test dud rate:      {test}\n\
         Field dud rate:     {field}\n\
         Footprint:          {footprint}\n\
         Default dud rate:   {dist} ({basis})\n",
        id = m.id,
        carrier = m.carrier,
        sub = m.submunition,
        country = m.country,
        n = m.submunitions,
        sd = if m.has_self_destruct {
            ", with self-destruct"
        } else {
            ""
        },
        claimed = m.claimed_dud_rate,
        test = m.test_dud_rate,
        field = m.field_dud_rate,
        footprint = m.footprint,
        dist = m.dud_rate,
        basis = m.dud_rate_basis,
    );
    if let Some(r) = m.footprint_radius_m {
        out.push_str(&format!(
            "Footprint radius:   {r} m ({})\n",
            m.footprint_basis
        ));
    }
    out.push_str("Sources:\n");
    for key in m.sources {
        if let Some(s) = catalog::source(key) {
            out.push_str(&format!("  [{}] {}\n", s.key, s.citation));
        }
    }
    print(&out)
}
