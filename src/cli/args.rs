//! The command line's definition: commands, options and their checks.
//!
//! Options shared by several commands have one spelling everywhere, and
//! the common ones a short flag: `-o` (--out), `-q` (--quiet), `-n`
//! (--replicates), `-s` (--seed), `-j` (--threads). A help text that
//! differs from command to command is set where the command is defined
//! (`mut_arg`), so that every command's help says what that command does.

use std::path::PathBuf;

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use dudsim::budget::{self, Limits};
use dudsim::calibration::{DEFAULT_PARTICLES, examples};
use dudsim::sweep::DudRates;
use dudsim::{MAX_REPLICATES, MAX_THREADS, Shard};

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
    /// Rerun a scenario file with one input (every munition's dud rate, or
    /// any input named as in sensitivity.csv) fixed at each of a range of values.
    Sweep(SweepArgs),
    /// Validate a scenario file without running it, and estimate what a
    /// run of it needs.
    Check(CheckArgs),
    /// Print an annotated scenario file to start from.
    Example,
    /// List the built-in munitions, or show one with its sources.
    Catalog(CatalogArgs),
    /// Merge the partial results of `run --shard` into the results of one run.
    Merge(MergeArgs),
    /// Run the historical campaigns and set the simulated intervals beside
    /// the published estimates.
    Validate(ValidateArgs),
    /// Rank the uncertain inputs by how much of each output's variance they explain.
    Sensitivity(SensitivityArgs),
    /// Fit a scenario's uncertain inputs to the counts of a records file
    /// (casualties, clearance, submunitions left): likelihood-free Bayesian
    /// calibration, whose posterior `run --posterior` forecasts with.
    Calibrate(CalibrateArgs),
    /// Print a shell completion script (e.g. `source <(dudsim completions bash)`).
    Completions {
        /// The shell to complete in.
        shell: CompletionShell,
    },
    /// Print the manual page (roff) of dudsim or of one of its commands
    /// (e.g. `dudsim man run | man -l -`).
    Man {
        /// A command; without it, the page of dudsim itself.
        command: Option<String>,
    },
}

/// The shells `dudsim completions` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

impl CompletionShell {
    pub fn generator(self) -> clap_complete::Shell {
        match self {
            CompletionShell::Bash => clap_complete::Shell::Bash,
            CompletionShell::Zsh => clap_complete::Shell::Zsh,
            CompletionShell::Fish => clap_complete::Shell::Fish,
            CompletionShell::Powershell => clap_complete::Shell::PowerShell,
        }
    }
}

/// Randomness and parallelism, shared by the commands that simulate.
#[derive(Debug, Args)]
pub struct SamplingArgs {
    /// Random seed (overrides the file).
    #[arg(short, long)]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(short = 'j', long, value_parser = clap::value_parser!(u16).range(1..=MAX_THREADS as i64))]
    pub threads: Option<u16>,
}

/// What a command may use; it refuses to start when its estimate is over.
#[derive(Debug, Args)]
pub struct LimitArgs {
    /// Refuse to start when the memory needed is estimated above SIZE
    /// (default 4GiB; e.g. 16GiB, 512MiB).
    #[arg(long, value_name = "SIZE", value_parser = budget::parse_size)]
    pub max_memory: Option<u64>,
    #[command(flatten)]
    pub cpu: CpuLimitArg,
}

/// The processor-time limit alone, for commands whose memory does not grow
/// with their inputs.
#[derive(Debug, Args)]
pub struct CpuLimitArg {
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
            cpu_hours: self.cpu.max_cpu_hours.unwrap_or(default.cpu_hours),
        }
    }
}

impl CpuLimitArg {
    /// The limits, defaults filled in (memory at its default).
    pub fn limits(&self) -> Limits {
        let default = Limits::default();
        Limits {
            cpu_hours: self.max_cpu_hours.unwrap_or(default.cpu_hours),
            ..default
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
    #[arg(short, long, default_value = "dudsim-out")]
    pub out: PathBuf,
    /// No progress bar and no table (files are still written).
    #[arg(short, long)]
    pub quiet: bool,
}

/// Inputs changed from the command line, shared by the commands that run a
/// scenario file.
#[derive(Debug, Args)]
pub struct OverrideArgs {
    /// Override one input of the scenario file, KEY named as in
    /// sensitivity.csv and VALUE in TOML (e.g. munition.9M55K.dud_rate=0.35,
    /// 'scenario.NAME.aftermath.encounter_rate={ uniform = [0.001, 0.002] }',
    /// simulation.steps=60). Repeatable; checked as if written in the file.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

/// The help of a scenario file argument that may be omitted.
const FILE_OR_DEFAULT: &str =
    "The scenario file (TOML), or - for standard input; without it, the built-in default scenario";

#[derive(Debug, Args)]
pub struct RunArgs {
    #[arg(help = FILE_OR_DEFAULT)]
    pub file: Option<PathBuf>,
    /// Number of replicates (overrides the file).
    #[arg(short = 'n', long, value_parser = clap::value_parser!(u64).range(1..=MAX_REPLICATES))]
    pub replicates: Option<u64>,
    #[command(flatten)]
    pub overrides: OverrideArgs,
    #[command(flatten)]
    pub sampling: SamplingArgs,
    #[command(flatten)]
    pub limits: LimitArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Draw no charts (no PNG or SVG files); report.html then holds the
    /// tables only.
    #[arg(long)]
    pub no_charts: bool,
    /// Print the summary JSON (what summary.json holds) on stdout instead of
    /// the table.
    #[arg(long)]
    pub json: bool,
    /// Also write every replicate's inputs and outputs, one row per
    /// replicate and scenario, to this CSV file (dud rates, carriers, the
    /// other uncertain inputs, UXO, live UXO and casualties at the horizon,
    /// contaminated area).
    #[arg(long, value_name = "FILE.csv", conflicts_with = "shard")]
    pub draws: Option<PathBuf>,
    /// Add replicates until the 95% confidence half-width of every
    /// scenario's expected UXO and casualties at the horizon is at most P
    /// times the mean (e.g. 0.01). --replicates then caps the count.
    #[arg(long, value_name = "P", value_parser = parse_precision, conflicts_with_all = ["shard", "draws"])]
    pub precision: Option<f64>,
    /// Compute only the I-th of N equal parts of the replicates and write a
    /// partial result for `dudsim merge`.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<Shard>,
    /// Draw each replicate's uncertain inputs jointly from the weighted
    /// particles of a posterior written by `dudsim calibrate`, instead of
    /// from the scenario file's ranges (for the scenarios whose uncertain
    /// inputs are its columns).
    #[arg(long, value_name = "posterior.csv", conflicts_with = "shard")]
    pub posterior: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(mut_arg("quiet", |a| a.help(
    "No progress lines and no tables (files are still written)"
)))]
pub struct CalibrateArgs {
    /// The scenario file (TOML): the distributions of its uncertain inputs
    /// are the priors.
    #[arg(required_unless_present = "example")]
    pub file: Option<PathBuf>,
    /// The records file (TOML): counts observed over periods since the
    /// strikes.
    #[arg(long, value_name = "RECORDS.toml", required_unless_present = "example")]
    pub records: Option<PathBuf>,
    /// Run a calibration shipped with dudsim instead of files (default
    /// lebanon-2006); its scenario and records files are written into
    /// --out too.
    #[arg(
        long,
        value_name = "NAME",
        num_args = 0..=1,
        default_missing_value = "lebanon-2006",
        value_parser = clap::builder::PossibleValuesParser::new(example_names()),
        conflicts_with_all = ["file", "records"]
    )]
    pub example: Option<String>,
    /// Particles per generation. More give a smoother posterior; the
    /// weights cost particles² per generation.
    #[arg(long, default_value_t = DEFAULT_PARTICLES as u64, value_parser = clap::value_parser!(u64).range(10..=100_000))]
    pub particles: u64,
    /// Fit without the last K counts of the records file, and say whether
    /// each falls in its 90% posterior predictive interval.
    #[arg(long, value_name = "K", default_value_t = 0)]
    pub hold_out: usize,
    #[command(flatten)]
    pub overrides: OverrideArgs,
    #[command(flatten)]
    pub sampling: SamplingArgs,
    #[command(flatten)]
    pub limits: LimitArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Draw no chart (no calibration.png or calibration.svg);
    /// calibration.html then holds the tables only.
    #[arg(long)]
    pub no_charts: bool,
    /// Print the results as JSON on stdout instead of the tables.
    #[arg(long)]
    pub json: bool,
}

/// The names of the shipped calibrations.
fn example_names() -> Vec<&'static str> {
    examples::EXAMPLES.iter().map(|e| e.name).collect()
}

#[derive(Debug, Args)]
#[command(mut_arg("quiet", |a| a.help("No table (files are still written)")))]
pub struct MergeArgs {
    /// The output directories of the shards.
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Draw no charts (no PNG or SVG files); report.html then holds the
    /// tables only.
    #[arg(long)]
    pub no_charts: bool,
    /// Print the summary JSON (what summary.json holds) on stdout instead of
    /// the table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("swept").required(true).args(["dud_rate", "param"])))]
pub struct SweepArgs {
    #[arg(help = FILE_OR_DEFAULT)]
    pub file: Option<PathBuf>,
    /// Every munition's dud rate, at COUNT evenly spaced values from FROM
    /// to TO, as fractions (0:0.5:11 is 0%, 5%, ..., 50%).
    #[arg(long, value_name = "FROM:TO:COUNT", value_parser = parse_dud_rates)]
    pub dud_rate: Option<DudRates>,
    /// Any one input, KEY named as in sensitivity.csv, at COUNT evenly
    /// spaced values from FROM to TO (e.g.
    /// scenario.NAME.aftermath.clearance_rate=0:0.05:6).
    #[arg(long, value_name = "KEY=FROM:TO:COUNT")]
    pub param: Option<String>,
    /// Number of replicates per value (overrides the file).
    #[arg(short = 'n', long, value_parser = clap::value_parser!(u64).range(1..=MAX_REPLICATES))]
    pub replicates: Option<u64>,
    #[command(flatten)]
    pub overrides: OverrideArgs,
    #[command(flatten)]
    pub sampling: SamplingArgs,
    #[command(flatten)]
    pub limits: LimitArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Draw no chart (no sweep.png or sweep.svg); sweep.csv is still written.
    #[arg(long)]
    pub no_charts: bool,
    /// Print the sweep as JSON on stdout instead of the table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SensitivityArgs {
    #[arg(help = FILE_OR_DEFAULT)]
    pub file: Option<PathBuf>,
    /// Pick-freeze samples per scenario; each costs one run of the model per
    /// uncertain input, plus one. The indices' standard errors shrink as
    /// 1/sqrt(samples).
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(16..=MAX_REPLICATES))]
    pub samples: u64,
    #[command(flatten)]
    pub overrides: OverrideArgs,
    #[command(flatten)]
    pub sampling: SamplingArgs,
    #[command(flatten)]
    pub limits: CpuLimitArg,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Draw no tornado charts (no PNG or SVG files); sensitivity.html then
    /// holds the tables only.
    #[arg(long)]
    pub no_charts: bool,
    /// Print the indices as JSON on stdout instead of the table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(mut_arg("seed", |a| a.help("Random seed (default 2026)")))]
pub struct ValidateArgs {
    /// Number of replicates per campaign (default 10000).
    #[arg(short = 'n', long, value_parser = clap::value_parser!(u64).range(1..=MAX_REPLICATES))]
    pub replicates: Option<u64>,
    #[command(flatten)]
    pub sampling: SamplingArgs,
    #[command(flatten)]
    pub limits: LimitArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Draw no chart (no validate.png or validate.svg); validate.csv is
    /// still written.
    #[arg(long)]
    pub no_charts: bool,
    /// Print the comparison as JSON on stdout instead of the table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(mut_arg("max_memory", |a| a.help(
    "Refuse the file when a run of it is estimated to need more memory than SIZE \
     (default 4GiB; e.g. 16GiB, 512MiB)"
)))]
#[command(mut_arg("max_cpu_hours", |a| a.help(
    "Refuse the file when a run of it is estimated to need more processor time than H \
     hours, summed over all threads (default 24)"
)))]
pub struct CheckArgs {
    /// The scenario file (TOML), or - for standard input.
    pub file: PathBuf,
    #[command(flatten)]
    pub overrides: OverrideArgs,
    #[command(flatten)]
    pub limits: LimitArgs,
    /// Print what was checked as JSON on stdout instead of a sentence.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CatalogArgs {
    /// A munition id, e.g. 9M55K (in any case: m864 finds M864).
    pub id: Option<String>,
    /// Print the munitions (with an id, that one) as JSON on stdout
    /// instead of the table.
    #[arg(long)]
    pub json: bool,
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn short_flags_mean_the_same_on_every_command() {
        let command = Cli::command();
        for sub in command.get_subcommands() {
            for arg in sub.get_arguments() {
                let (Some(short), Some(long)) = (arg.get_short(), arg.get_long()) else {
                    continue;
                };
                let expected = match short {
                    'o' => "out",
                    'q' => "quiet",
                    'n' => "replicates",
                    's' => "seed",
                    'j' => "threads",
                    'h' => "help",
                    other => panic!("{}: unexpected short flag -{other}", sub.get_name()),
                };
                assert_eq!(long, expected, "{}: -{short}", sub.get_name());
            }
        }
    }
}
