//! `run --draws FILE.csv`: every replicate's inputs and outputs, one row
//! per replicate and scenario, for questions the summaries cannot answer
//! (how often are casualties above 500 *and* UXO above 20,000?).
//!
//! Rows are written while the run computes its statistics, from the same
//! replicates, chunk by chunk in replicate order: a chunk finished early
//! waits in memory until those before it are written, and a worker does
//! not start a chunk more than a few chunks ahead of the next one to be
//! written, so memory stays bounded however many replicates there are. A
//! row depends only on the seed, the scenario and the replicate, so the
//! file is the same byte for byte whatever the number of threads.
//!
//! Columns: `scenario`, `replicate`; then the inputs, named as in
//! `sensitivity.csv` (every munition's dud rate and every strike's
//! carriers, and each other input a scenario draws from a range), empty
//! where a scenario does not have that input; then `submunitions`,
//! `unexploded` (U₀, after the strikes), `live` and `casualties` at the
//! horizon (empty without an aftermath) and `contaminated_area_m2` (empty
//! without an area).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, PoisonError};

use crate::analysis::sensitivity::input_name;
use crate::engine::{Engine, Input, Recorder, ReplicateOutcome};
use crate::error::{Error, Result};
use crate::scenario::ScenarioFile;
use crate::stats::RunStats;
use crate::stats::grid::CellAreas;

/// Chunks a worker may run ahead of the next chunk to be written, per
/// worker thread: enough that workers rarely wait, few enough that the
/// rows held stay a few megabytes.
const CHUNKS_AHEAD_PER_WORKER: u64 = 4;

/// The file `--draws` names, written under a temporary name beside it and
/// renamed into place once the run has succeeded: a failed run leaves no
/// partial file.
pub struct Target {
    path: PathBuf,
    temporary: PathBuf,
    out: Mutex<Option<BufWriter<File>>>,
    committed: bool,
}

impl Target {
    /// Opens the temporary file beside `path`; refuses (exit 2) a path
    /// whose directory does not exist or cannot be written, or that names
    /// a directory.
    pub fn new(path: &Path) -> Result<Self> {
        let refuse = |why: String| Error::usage(format!("--draws {}: {why}", path.display()));
        if path.is_dir() {
            return Err(refuse(
                "is a directory; give a file name, e.g. draws.csv".into(),
            ));
        }
        let name = path
            .file_name()
            .ok_or_else(|| refuse("give a file name, e.g. draws.csv".into()))?;
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let temporary = dir.join(format!(
            ".{}.dudsim-new-{}",
            name.to_string_lossy(),
            std::process::id()
        ));
        let file =
            File::create(&temporary).map_err(|e| refuse(format!("cannot write here: {e}")))?;
        Ok(Target {
            path: path.to_path_buf(),
            temporary,
            out: Mutex::new(Some(BufWriter::new(file))),
            committed: false,
        })
    }

    fn write(&self, text: &str) -> std::io::Result<()> {
        let mut out = self.out.lock().unwrap_or_else(PoisonError::into_inner);
        match out.as_mut() {
            Some(w) => w.write_all(text.as_bytes()),
            None => Ok(()),
        }
    }

    /// Renames the finished file into place; returns its path.
    pub fn commit(mut self) -> Result<PathBuf> {
        let failed = |e: std::io::Error| {
            Error::failure(format!("cannot write {}: {e}", self.path.display()))
        };
        let writer = self
            .out
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(w) = writer {
            let file = w.into_inner().map_err(|e| failed(e.into_error()))?;
            file.sync_all().map_err(failed)?;
        }
        std::fs::rename(&self.temporary, &self.path).map_err(failed)?;
        self.committed = true;
        Ok(self.path.clone())
    }
}

impl Drop for Target {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.temporary);
        }
    }
}

/// The columns of the file and where each scenario's inputs go.
struct Layout {
    header: String,
    /// Number of input columns.
    inputs: usize,
    /// Per scenario: its name as a CSV field, and (column, input) pairs.
    scenarios: Vec<(String, Vec<(usize, Input)>)>,
    /// Per scenario with an area: its cells' areas.
    areas: Vec<Option<CellAreas>>,
}

impl Layout {
    fn new(engine: &Engine, file: &ScenarioFile) -> Self {
        let mut names: Vec<String> = Vec::new();
        let mut scenarios = Vec::new();
        for (s, plan) in engine.plans().iter().enumerate() {
            let uncertain = plan.uncertain_inputs();
            let mut inputs: Vec<Input> = (0..plan.munition_count()).map(Input::DudRate).collect();
            inputs.extend((0..plan.strike_count()).map(Input::Carriers));
            inputs.extend(
                uncertain
                    .into_iter()
                    .filter(|i| !matches!(i, Input::DudRate(_) | Input::Carriers(_))),
            );
            let columns = inputs
                .into_iter()
                .map(|input| {
                    let name = input_name(file, s, plan, input);
                    let column = names.iter().position(|n| *n == name).unwrap_or_else(|| {
                        names.push(name);
                        names.len() - 1
                    });
                    (column, input)
                })
                .collect();
            scenarios.push((super::csv::field(&file.scenarios()[s].name), columns));
        }
        let mut header = String::from("scenario,replicate");
        for name in &names {
            header.push(',');
            header.push_str(&super::csv::field(name));
        }
        header.push_str(",submunitions,unexploded,live,casualties,contaminated_area_m2\n");
        Layout {
            header,
            inputs: names.len(),
            scenarios,
            areas: engine
                .plans()
                .iter()
                .map(|p| p.grid().map(CellAreas::of))
                .collect(),
        }
    }
}

/// The recorder of a run: formats rows and writes chunks in order.
struct Rows<'a> {
    layout: Layout,
    target: &'a Target,
    /// The first chunk of the run, so that chunks count from 0 in it.
    ahead: u64,
    state: Mutex<Order>,
    turn: Condvar,
}

/// Chunks written so far and those finished ahead of their turn.
struct Order {
    next: u64,
    waiting: BTreeMap<u64, String>,
    error: Option<std::io::Error>,
}

impl Recorder for Rows<'_> {
    fn admit(&self, chunk: u64) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        while chunk >= state.next + self.ahead {
            state = self
                .turn
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn record(
        &self,
        scenario: usize,
        replicate: u64,
        outcome: &ReplicateOutcome,
        out: &mut String,
    ) {
        let (name, columns) = &self.layout.scenarios[scenario];
        let mut values = vec![String::new(); self.layout.inputs];
        for &(column, input) in columns {
            values[column] = outcome.inputs.value(input).to_string();
        }
        let _ = write!(out, "{name},{replicate}");
        for v in &values {
            out.push(',');
            out.push_str(v);
        }
        let _ = write!(out, ",{},{}", outcome.submunitions, outcome.unexploded);
        match outcome.timeline.last() {
            Some(last) => {
                let _ = write!(out, ",{},{}", last.live, last.casualties);
            }
            None => out.push_str(",,"),
        }
        match (&self.layout.areas[scenario], &outcome.spatial) {
            (Some(areas), Some(grid)) => {
                let _ = writeln!(out, ",{}", areas.contaminated_m2(grid));
            }
            _ => out.push_str(",\n"),
        }
    }

    fn chunk_done(&self, chunk: u64, records: String) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.waiting.insert(chunk, records);
        while let Some(text) = {
            let next = state.next;
            state.waiting.remove(&next)
        } {
            if state.error.is_none()
                && let Err(e) = self.target.write(&text)
            {
                state.error = Some(e);
            }
            state.next += 1;
        }
        self.turn.notify_all();
    }
}

/// Runs `replicates` of `engine` on the current rayon pool into statistics,
/// as [`RunStats::collect`] does, writing every replicate's row to
/// `target` as it goes.
pub fn collect(
    engine: &Engine,
    file: &ScenarioFile,
    replicates: Range<u64>,
    progress: &(dyn Fn(u64) + Sync),
    target: &Target,
) -> Result<RunStats> {
    let layout = Layout::new(engine, file);
    target
        .write(&layout.header)
        .map_err(|e| Error::failure(format!("cannot write the draws: {e}")))?;
    let workers = rayon::current_num_threads().max(1) as u64;
    let rows = Rows {
        layout,
        target,
        ahead: CHUNKS_AHEAD_PER_WORKER * workers,
        state: Mutex::new(Order {
            next: 0,
            waiting: BTreeMap::new(),
            error: None,
        }),
        turn: Condvar::new(),
    };
    let stats = engine.run_recorded(
        replicates,
        &|| RunStats::empty(engine),
        progress,
        Some(&rows),
    );
    let state = rows
        .state
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    if let Some(e) = state.error {
        return Err(Error::failure(format!("cannot write the draws: {e}")));
    }
    Ok(stats)
}
