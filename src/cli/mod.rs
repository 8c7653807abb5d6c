//! The command line: the `dudsim` commands on top of the library. Each
//! command resolves its settings once, checks what it would cost, runs,
//! writes its files and prints its table.

mod args;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::Parser;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use args::{CalibrateArgs, Cli, Command, MergeArgs, RunArgs, SamplingArgs};
use args::{SensitivityArgs, SweepArgs, ValidateArgs};
use dudsim::budget::{self, Limits, RunKind};
use dudsim::calibration::{Calibration, FitOptions, Progress, Records, examples};
use dudsim::precision::{self, PrecisionStop, PrecisionTarget};
use dudsim::{
    Engine, Error, MAX_REPLICATES, Result, RunSettings, RunStats, ScenarioFile, catalog, table,
};

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
        Command::Calibrate(a) => Some(&a.output),
        Command::Check { .. } | Command::Example | Command::Catalog { .. } => None,
    };
    if let Some(output) = output {
        dudsim::prepare_target(&output.out)?;
    }
    match command {
        Command::Run(args) => run(&args),
        Command::Sweep(args) => sweep(&args),
        Command::Check { file, limits } => check(&file, &limits.limits()),
        Command::Example => print(dudsim::default_text()),
        Command::Catalog { id } => catalog(id.as_deref()),
        Command::Merge(args) => merge(&args),
        Command::Validate(args) => validate(&args),
        Command::Sensitivity(args) => sensitivity(&args),
        Command::Calibrate(args) => calibrate(&args),
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

/// The settings of a run of `file`: the file's, with the command line's
/// replicates, seed and threads over them.
fn settings(
    file: &ScenarioFile,
    replicates: Option<u64>,
    sampling: &SamplingArgs,
) -> Result<RunSettings> {
    let mut settings = RunSettings::from_file(file);
    if let Some(r) = replicates {
        settings = settings.with_replicates(r).map_err(Error::usage)?;
    }
    if let Some(s) = sampling.seed {
        settings = settings.with_seed(s);
    }
    if let Some(t) = sampling.threads {
        settings = settings
            .with_threads(usize::from(t))
            .map_err(Error::usage)?;
    }
    Ok(settings)
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
    let file = load(args.file.as_ref())?;
    let mut settings = settings(&file, args.replicates, &args.sampling)?;
    if let Some(shard) = args.shard {
        settings = settings.with_shard(shard).map_err(Error::usage)?;
    }
    if let Some(p) = args.precision {
        settings = settings.with_precision(p).map_err(Error::usage)?;
    }
    let pool = dudsim::thread_pool(settings.threads())?;
    let limits = args.sampling.limits.limits();
    let kind = match settings.shard() {
        Some(_) => RunKind::Shard,
        None => RunKind::Full {
            charts: !args.output.no_charts,
            precision: settings.precision().is_some(),
        },
    };
    let copies = budget::stat_copies(&file, kind, pool.current_num_threads(), &limits)?;
    let mut engine = Engine::new(&file, &settings).with_stat_copies(copies);
    let mut inputs_note = None;
    if let Some(path) = &args.posterior {
        let (with, note) = with_posterior(engine, &file, path)?;
        if !args.output.quiet {
            eprintln!("{note}");
        }
        engine = with;
        inputs_note = Some(note);
    }

    if let Some(shard) = settings.shard() {
        let range = settings.replicate_range();
        check_run_work(&file, range.end - range.start, &limits)?;
        let bar = progress_bar(Some(range.end - range.start), args.output.quiet);
        let stats = pool.install(|| RunStats::collect(&engine, range.clone(), &|n| bar.inc(n)));
        bar.finish_and_clear();
        let written = dudsim::write_shard(&args.output.out, &file, &settings, stats)?;
        if !args.output.quiet {
            eprintln!(
                "Shard {}/{}: replicates {} to {} of {}, written to {}. \
                 Merge all shards with `dudsim merge DIR... --out DIR`.",
                shard.index(),
                shard.count(),
                range.start,
                range.end,
                settings.replicates(),
                written.display()
            );
        }
        return Ok(());
    }

    let started = Instant::now();
    let stats = match settings.precision() {
        Some(p) => {
            let target = PrecisionTarget {
                relative_half_width: p,
                max_replicates: args.replicates.unwrap_or(DEFAULT_PRECISION_CAP),
            };
            let stats = run_to_precision(&engine, &file, target, args, &limits, &pool)?;
            settings = settings
                .with_replicates(stats.replicates())
                .map_err(Error::usage)?;
            stats
        }
        None => {
            let replicates = settings.replicates();
            check_run_work(&file, replicates, &limits)?;
            let bar = progress_bar(Some(replicates), args.output.quiet);
            let stats = pool.install(|| RunStats::collect(&engine, 0..replicates, &|n| bar.inc(n)));
            bar.finish_and_clear();
            stats
        }
    };
    let simulated = started.elapsed();
    let options = ReportOptions {
        json: args.json,
        quiet: args.output.quiet,
        no_charts: args.output.no_charts,
        inputs_note,
    };
    report(
        &args.output.out,
        &file,
        &settings,
        &stats,
        &pool,
        options,
        simulated,
    )
}

/// Reads a posterior file written by `dudsim calibrate` (at most
/// [`dudsim::calibration::MAX_POSTERIOR_BYTES`]) and has `engine` draw the
/// inputs of every scenario it fits from it; also returns a sentence
/// saying so.
fn with_posterior(engine: Engine, file: &ScenarioFile, path: &Path) -> Result<(Engine, String)> {
    use std::io::Read;
    let name = path.display().to_string();
    let limit = dudsim::calibration::MAX_POSTERIOR_BYTES;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
        .map_err(|e| Error::usage(format!("{name}: cannot read the posterior file: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(Error::usage(format!(
            "{name}: larger than {} MiB, the most a posterior file may hold (100,000 particles \
             of a few dozen inputs take far less): is this the right file?",
            limit >> 20
        )));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| Error::usage(format!("{name}: not UTF-8 text: is this a posterior.csv?")))?;
    let posteriors = dudsim::calibration::read_posterior(file, &name, &text)?;
    let mut engine = engine;
    let mut notes = Vec::new();
    for (scenario, posterior) in posteriors {
        let p = posterior.posterior();
        notes.push(format!(
            "Scenario \"{}\": its {} uncertain input(s) are drawn jointly from the posterior \
             {name} ({} particles, effective sample size {}), not from the ranges of the \
             scenario file.",
            file.scenarios()[scenario].name(),
            p.dimension(),
            dudsim::format::thousands(p.len() as f64),
            dudsim::format::count(p.effective_sample_size())
        ));
        engine = engine.with_posterior(scenario, posterior);
    }
    Ok((engine, notes.join(" ")))
}

/// `dudsim calibrate`: fits, writes the files, prints the tables.
fn calibrate(args: &CalibrateArgs) -> Result<()> {
    let (file, records, extra) = match &args.example {
        Some(name) => {
            let example = examples::find(name).ok_or_else(|| {
                Error::usage(format!(
                    "no shipped calibration \"{name}\"; there are: {}",
                    examples::names()
                ))
            })?;
            let file = ScenarioFile::parse(example.scenario_path, example.scenario_text)?;
            let records = Records::parse(example.records_path, example.records_text, &file)?;
            let file_name = |path: &'static str| path.rsplit('/').next().unwrap_or(path);
            let extra = vec![
                (file_name(example.scenario_path), example.scenario_text),
                (file_name(example.records_path), example.records_text),
            ];
            (file, records, extra)
        }
        None => {
            let (Some(path), Some(records_path)) = (&args.file, &args.records) else {
                return Err(Error::usage(
                    "calibrate needs a scenario file and --records RECORDS.toml, or --example",
                ));
            };
            let file = ScenarioFile::load(path)?;
            let records = Records::load(records_path, &file)?;
            (file, records, Vec::new())
        }
    };
    let seed = args.sampling.seed.unwrap_or(file.simulation().seed());
    let threads = args.sampling.threads.map(usize::from);
    let pool = dudsim::thread_pool(threads)?;
    let calibration = Calibration::new(&file, &records)?;
    let options = FitOptions {
        particles: args.particles as usize,
        seed,
        hold_out: args.hold_out,
    };
    budget::check_work(
        &file,
        &calibration.work(&options),
        &args.sampling.limits.limits(),
    )?;
    let quiet = args.output.quiet;
    let scenario = file.scenarios()[records.scenario()].name();
    let fitted = records.records().len().saturating_sub(args.hold_out);
    if !quiet {
        eprintln!(
            "Calibrating scenario \"{scenario}\" of {} to {fitted} count(s) of {}: {} \
             particles, seed {seed}.",
            file.source_name(),
            records.source_name(),
            dudsim::format::thousands(options.particles as f64)
        );
    }
    let started = Instant::now();
    let mut progress = |p: &Progress<'_>| {
        if let (Progress::Generation(g), false) = (p, quiet) {
            eprintln!(
                "  generation {:>2}: tolerance {:>9} ({} per count), acceptance {:>6.2}%, \
                 effective sample size {:>6}, {} model runs, {}",
                g.generation,
                dudsim::format::parameter(g.tolerance),
                dudsim::format::parameter(g.tolerance / (fitted as f64).sqrt()),
                100.0 * g.acceptance_rate,
                dudsim::format::count(g.effective_sample_size),
                dudsim::format::thousands(g.total_simulations as f64),
                seconds(started.elapsed())
            );
        }
    };
    let calibrated = pool.install(|| calibration.fit(&options, &mut progress))?;
    let elapsed = started.elapsed();
    let (dir, charts) = pool.install(|| {
        dudsim::write_calibration(
            &args.output.out,
            &calibrated,
            !args.output.no_charts,
            &extra,
        )
    })?;
    if args.json {
        print(&dudsim::files::calibration_json(&calibrated))?;
    } else if !quiet {
        print(&table::calibration(&calibrated))?;
        let forecast = match extra.first() {
            Some((name, _)) => format!("{}/{name}", dir.display()),
            None => file.source_name().to_string(),
        };
        print(&format!(
            "\nCalibrated in {}. Results written to {}/ (posterior.csv, calibration.csv, \
             predictive.csv{}, calibration.html).\nForecast with the fitted inputs: dudsim run \
             {forecast} --posterior {}/posterior.csv\n",
            seconds(elapsed),
            dir.display(),
            if charts > 0 {
                ", the chart calibration"
            } else {
                ""
            },
            dir.display()
        ))?;
    }
    Ok(())
}

/// `run --precision`: adds replicates until the target is met, and says
/// how many it took.
fn run_to_precision(
    engine: &Engine,
    file: &ScenarioFile,
    target: PrecisionTarget,
    args: &RunArgs,
    limits: &Limits,
    pool: &rayon::ThreadPool,
) -> Result<RunStats> {
    let p = target.relative_half_width;
    let bar = progress_bar(None, args.output.quiet);
    let allow = |n: u64| check_run_work(file, n, limits);
    let outcome =
        pool.install(|| precision::run_to_precision(engine, target, &allow, &|n| bar.inc(n)));
    bar.finish_and_clear();
    let stats = match outcome {
        Ok(stats) => stats,
        Err(PrecisionStop::Refused(e)) => return Err(e),
        Err(PrecisionStop::Unreachable { done, needed }) => {
            let cap = if args.replicates.is_some() {
                format!(
                    "the cap of {} set by --replicates",
                    dudsim::format::count(target.max_replicates as f64)
                )
            } else {
                format!(
                    "the default cap of {} (--replicates sets another, up to {})",
                    dudsim::format::count(target.max_replicates as f64),
                    dudsim::format::count(MAX_REPLICATES as f64)
                )
            };
            return Err(Error::usage(format!(
                "--precision {} would need about {needed:.1e} replicates (projected from \
                 the spread of the first {}), above {cap}: ask for a coarser precision, \
                 or give --replicates alone for a fixed number of replicates",
                dudsim::quoted(p),
                dudsim::format::count(done as f64)
            )));
        }
    };
    let used = stats.replicates();
    if !args.output.quiet {
        if (used as f64) < target.replicates_needed_for(&stats) {
            eprintln!(
                "warning: stopped at the cap of {} replicates before reaching a precision of {p}",
                dudsim::format::count(used as f64)
            );
        } else {
            eprintln!(
                "{} replicates reached a 95% half-width of at most {p} x the mean \
                 for every scenario's UXO and casualties.",
                dudsim::format::count(used as f64)
            );
        }
    }
    Ok(stats)
}

/// What `report` needs to know of the command that ran.
struct ReportOptions {
    json: bool,
    quiet: bool,
    no_charts: bool,
    /// How the inputs were drawn, when not from the file's ranges.
    inputs_note: Option<String>,
}

/// Writes a finished run's files and prints its table (or JSON).
fn report(
    out: &Path,
    file: &ScenarioFile,
    settings: &RunSettings,
    stats: &RunStats,
    pool: &rayon::ThreadPool,
    options: ReportOptions,
    simulated: Duration,
) -> Result<()> {
    let written = pool.install(|| {
        dudsim::write_results_noted(
            out,
            file,
            settings,
            stats,
            !options.no_charts,
            options.inputs_note.as_deref(),
        )
    })?;
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
    let (file, settings, stats) = dudsim::shards::merge(&args.shards)?;
    let pool = dudsim::thread_pool(None)?;
    let options = ReportOptions {
        json: args.json,
        quiet: args.output.quiet,
        no_charts: args.output.no_charts,
        inputs_note: None,
    };
    report(
        &args.output.out,
        &file,
        &settings,
        &stats,
        &pool,
        options,
        Duration::ZERO,
    )
}

fn validate(args: &ValidateArgs) -> Result<()> {
    let file = dudsim::validation::campaigns();
    let settings = settings(&file, args.replicates, &args.sampling)?;
    let pool = dudsim::thread_pool(settings.threads())?;
    let limits = args.sampling.limits.limits();
    let copies = budget::stat_copies(
        &file,
        RunKind::Statistics,
        pool.current_num_threads(),
        &limits,
    )?;
    check_run_work(&file, settings.replicates(), &limits)?;
    let bar = progress_bar(Some(settings.replicates()), args.output.quiet);
    let rows = pool.install(|| dudsim::validation::run(&file, &settings, copies, &|n| bar.inc(n)));
    bar.finish_and_clear();
    let dir = pool.install(|| {
        dudsim::write_validation(&args.output.out, &rows, &settings, !args.output.no_charts)
    })?;
    if !args.output.quiet {
        print(&table::validation(&rows, &file, &settings))?;
        print(&format!("\nResults written to {}/\n", dir.display()))?;
    }
    Ok(())
}

fn sweep(args: &SweepArgs) -> Result<()> {
    let file = load(args.file.as_ref())?;
    let settings = settings(&file, args.replicates, &args.sampling)?;
    let pool = dudsim::thread_pool(settings.threads())?;
    let total = settings.replicates() * args.dud_rate.count as u64;
    let limits = args.sampling.limits.limits();
    let counts_only = dudsim::sweep::with_dud_rate(&file, 0.0);
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
        dudsim::format::count(settings.replicates() as f64),
        file.scenarios().len()
    );
    work.fewer = "dud rates, replicates or steps".to_string();
    budget::check_work(&file, &work, &limits)?;

    let bar = progress_bar(Some(total), args.output.quiet);
    let result = pool
        .install(|| dudsim::sweep::run(&file, &settings, &args.dud_rate, copies, &|n| bar.inc(n)));
    bar.finish_and_clear();
    let dir =
        pool.install(|| dudsim::write_sweep(&args.output.out, &result, !args.output.no_charts))?;
    if !args.output.quiet {
        print(&table::sweep(&result))?;
        print(&format!("\nResults written to {}/\n", dir.display()))?;
    }
    Ok(())
}

fn sensitivity(args: &SensitivityArgs) -> Result<()> {
    let file = load(args.file.as_ref())?;
    let settings = settings(&file, None, &args.sampling)?;
    let pool = dudsim::thread_pool(settings.threads())?;
    let mut work = budget::run_work(&file, args.samples, &budget::sensitivity_runs(&file), false);
    work.what = format!(
        "{} pick-freeze samples of {} scenario(s)",
        dudsim::format::count(args.samples as f64),
        file.scenarios().len()
    );
    work.fewer = "--samples, uncertain inputs or steps".to_string();
    budget::check_work(&file, &work, &args.sampling.limits.limits())?;
    let bar = progress_bar(
        Some(args.samples * file.scenarios().len() as u64),
        args.output.quiet,
    );
    let analysis = pool.install(|| {
        dudsim::sensitivity::run(&file, settings.seed(), args.samples, &|n| bar.inc(n))
    });
    bar.finish_and_clear();
    let (dir, charts) = pool.install(|| {
        dudsim::write_sensitivity(&args.output.out, &file, &analysis, !args.output.no_charts)
    })?;
    if !args.output.quiet {
        print(&table::sensitivity(&analysis, &file))?;
        print(&format!(
            "\nResults written to {}/ (sensitivity.csv{} and sensitivity.html).\n",
            dir.display(),
            if charts == 0 {
                String::new()
            } else {
                format!(", {charts} tornado chart(s)")
            },
        ))?;
    }
    Ok(())
}

/// Validates a file, and refuses it when a run with the default settings
/// (all cores, charts) would be refused for its memory or time.
fn check(path: &Path, limits: &Limits) -> Result<()> {
    let file = ScenarioFile::load(path)?;
    let strikes: usize = file.scenarios().iter().map(|s| s.strikes().len()).sum();
    let workers = rayon::current_num_threads();
    let kind = RunKind::Full {
        charts: true,
        precision: false,
    };
    let copies = budget::stat_copies(&file, kind, workers, limits)?;
    let memory = budget::run_memory(&file, kind, workers, copies).total();
    let simulation = file.simulation();
    let work = budget::run_work(&file, simulation.replicates(), &|_| 1.0, true);
    budget::check_work(&file, &work, limits)?;
    print(&format!(
        "{}: valid. {} scenario(s), {} strike(s), {} munition(s); {} replicates, seed {}, {} {} step(s). \
         A run needs at most about {} of memory and {} hour(s) of processor time.\n",
        path.display(),
        file.scenarios().len(),
        strikes,
        file.munitions().len(),
        dudsim::format::count(simulation.replicates() as f64),
        simulation.seed(),
        simulation.steps(),
        simulation.step_unit(),
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
        return print(&table::catalog_list());
    };
    let entry = catalog::find(id).ok_or_else(|| {
        let ids: Vec<&str> = catalog::entries().iter().map(|m| m.id).collect();
        Error::usage(format!(
            "no munition \"{id}\" in the catalog; catalog ids: {}",
            ids.join(", ")
        ))
    })?;
    print(&table::catalog_entry(entry))
}
