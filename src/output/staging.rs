//! Writing an output directory all at once, or not at all.
//!
//! Every command that writes files stages them in a new directory beside
//! the target (in its parent, so that renames stay on one file system),
//! then swaps that directory in with one atomic rename: a reader, a crash or
//! a kill sees the previous run's files or the new run's, never a mixture.
//! Each directory dudsim writes holds a manifest, [`MANIFEST`], naming the
//! files dudsim wrote there; the next run into the directory replaces
//! exactly those and carries every other entry (the user's own notes,
//! folders) over into the new directory, by hard link where it can and by
//! rename otherwise.
//!
//! Staging directories are named `.<target>.dudsim-<stage>-<pid>-<n>`, so
//! that a later run can recognise one left by a process that was killed and
//! clean it up: a `new` one (files still being written) is removed, a
//! `swap` or `old` one (which may hold the user's entries) is emptied
//! carefully, putting back anything dudsim did not write. SIGINT and SIGTERM
//! while files are staged stop the writing, remove the staging
//! directory and then end the process as the signal would have.
//!
//! A bad `--out` (a file, a path under a file, a dangling symbolic link, a
//! mount point, a place that cannot be written, a name too long for the
//! file system) is found by [`prepare_target`] before any computing.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, BufWriter, ErrorKind, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::charts;
use crate::error::{Error, Result};

/// The file listing the files dudsim wrote into a directory, one name a
/// line after a comment; the next dudsim command writing there replaces
/// them all and leaves every other entry alone.
pub const MANIFEST: &str = ".dudsim-manifest";

const MANIFEST_HEADER: &str = "# Files written by dudsim into this directory. The next dudsim command\n\
     # writing here replaces them all; files not listed here are left alone.\n";

/// Longest manifest read: far more than any run writes, and a bound on
/// what a damaged or hostile manifest can make dudsim read.
const MANIFEST_MAX_BYTES: u64 = 1 << 20;

/// Readies an output directory before any computing: checks that it is a
/// directory, or a path that can become one, on which dudsim can stage and
/// swap in files, and removes what killed dudsim runs left beside it.
/// Everything wrong with `--out` is bad input (exit status 2), except a full
/// disk.
pub fn prepare_target(given: &Path) -> Result<()> {
    let target = Target::resolve(given)?;
    target.probe()?;
    target.clean_leftovers();
    Ok(())
}

/// The output directory, resolved: symbolic links followed, so that staging
/// happens beside the real directory, on its file system.
struct Target {
    /// As the user gave it, for messages.
    given: PathBuf,
    /// The real path of the directory (of its nearest existing ancestor,
    /// then the missing names, when it does not exist yet).
    real: PathBuf,
    /// `real`'s parent, where staging directories go.
    parent: PathBuf,
    /// `real`'s last name.
    name: OsString,
    /// The nearest existing ancestor of `real` (its parent when that exists).
    existing: PathBuf,
}

impl Target {
    fn resolve(given: &Path) -> Result<Self> {
        if given.as_os_str().is_empty() {
            return Err(Error::usage("--out is empty: give a directory"));
        }
        let shown = given.display();
        let real = match fs::symlink_metadata(given) {
            Ok(meta) if meta.file_type().is_symlink() => match fs::canonicalize(given) {
                Ok(real) if real.is_dir() => real,
                Ok(real) => {
                    return Err(Error::usage(format!(
                        "--out {shown} is a symbolic link to {}, which is not a directory",
                        real.display()
                    )));
                }
                Err(e) if e.kind() == ErrorKind::NotFound => {
                    let to = fs::read_link(given).unwrap_or_default();
                    return Err(Error::usage(format!(
                        "--out {shown} is a symbolic link to {}, which does not exist",
                        to.display()
                    )));
                }
                Err(e) => return Err(bad_out(given, None, &e)),
            },
            Ok(meta) if meta.is_dir() => {
                fs::canonicalize(given).map_err(|e| bad_out(given, None, &e))?
            }
            Ok(_) => {
                return Err(Error::usage(format!(
                    "--out {shown} exists and is not a directory"
                )));
            }
            Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => {
                missing_target(given)?
            }
            Err(e) => return Err(bad_out(given, None, &e)),
        };
        let (Some(parent), Some(name)) = (real.parent(), real.file_name()) else {
            return Err(Error::usage(format!(
                "--out {shown} is the root directory, a mount point: dudsim replaces its \
                 output directory as a whole; give a directory inside it"
            )));
        };
        let existing = real
            .ancestors()
            .skip(1)
            .find(|a| a.is_dir())
            .unwrap_or(parent)
            .to_path_buf();
        Ok(Target {
            given: given.to_path_buf(),
            parent: parent.to_path_buf(),
            name: name.to_os_string(),
            existing,
            real,
        })
    }

    fn exists(&self) -> bool {
        fs::symlink_metadata(&self.real).is_ok()
    }

    /// Finds, without computing anything, what would stop a commit: a mount
    /// point, a directory that cannot be written, names the file system
    /// refuses.
    fn probe(&self) -> Result<()> {
        if self.exists() {
            if is_mount_point(&self.real, &self.parent) {
                return Err(Error::usage(format!(
                    "--out {} is a mount point: dudsim replaces its output directory as a \
                     whole, which it cannot do to a mount point; give a directory inside it, \
                     e.g. {}",
                    self.given.display(),
                    self.given.join("dudsim-out").display()
                )));
            }
            writable(&self.real).map_err(|e| bad_out(&self.given, Some(&self.real), &e))?;
        }
        // Creating (and removing) a staging directory shows that the parent
        // can be written; creating the missing names inside it shows that
        // the file system accepts them.
        let probe = self.existing.join(staging_name(&self.name, Stage::Probe));
        fs::create_dir(&probe).map_err(|e| bad_out(&self.given, Some(&self.existing), &e))?;
        let missing = self.real.strip_prefix(&self.existing).unwrap_or(&self.real);
        let names = fs::create_dir_all(probe.join(missing));
        let _ = fs::remove_dir_all(&probe);
        names.map_err(|e| bad_out(&self.given, Some(&self.existing), &e))
    }

    /// Removes what dudsim runs that were killed left beside the target.
    fn clean_leftovers(&self) {
        let Ok(entries) = fs::read_dir(&self.parent) else {
            return;
        };
        let mut leftovers: Vec<(Stage, PathBuf)> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let stage = leftover_stage(&self.name, &e.file_name())?;
                e.file_type().ok()?.is_dir().then(|| (stage, e.path()))
            })
            .collect();
        // An `old` directory is the previous output moved aside: it goes
        // back first if the target is missing.
        leftovers.sort_by_key(|(stage, _)| *stage != Stage::Old);
        for (stage, path) in leftovers {
            match stage {
                Stage::New | Stage::Probe => {
                    let _ = fs::remove_dir_all(&path);
                }
                Stage::Old if !self.exists() => {
                    if fs::rename(&path, &self.real).is_err() {
                        warn_kept(&path, &self.given);
                    }
                }
                Stage::Old | Stage::Swap => {
                    if !retire(&path, &self.real) {
                        warn_kept(&path, &self.given);
                    }
                }
            }
        }
    }
}

/// The real path of a target that does not exist yet: its nearest existing
/// ancestor, resolved, then the missing names. Refuses a path under a file
/// or a dangling link.
fn missing_target(given: &Path) -> Result<PathBuf> {
    let shown = given.display();
    for ancestor in given.ancestors().skip(1) {
        let at = if ancestor.as_os_str().is_empty() {
            Path::new(".")
        } else {
            ancestor
        };
        let meta = match fs::symlink_metadata(at) {
            Ok(meta) => meta,
            Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => {
                continue;
            }
            Err(e) => return Err(bad_out(given, Some(at), &e)),
        };
        let real = match fs::canonicalize(at) {
            Ok(real) => real,
            Err(e) if meta.file_type().is_symlink() && e.kind() == ErrorKind::NotFound => {
                return Err(Error::usage(format!(
                    "--out {shown}: {} is a symbolic link to {}, which does not exist",
                    at.display(),
                    fs::read_link(at).unwrap_or_default().display()
                )));
            }
            Err(e) => return Err(bad_out(given, Some(at), &e)),
        };
        if !real.is_dir() {
            return Err(Error::usage(format!(
                "--out {shown}: {} is a file, not a directory",
                at.display()
            )));
        }
        let rest = given.strip_prefix(ancestor).unwrap_or(given);
        if rest
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
        {
            return Err(Error::usage(format!(
                "--out {shown}: `..` after a directory that does not exist; \
                 give the path without it"
            )));
        }
        return Ok(real.join(rest));
    }
    Err(Error::usage(format!("--out {shown}: no part of it exists")))
}

/// A bad `--out`, with the cause the system gave, in words.
fn bad_out(given: &Path, at: Option<&Path>, e: &io::Error) -> Error {
    // The system's own words name the cause ("Read-only file system",
    // "Permission denied", "File name too long", ...), except where they
    // mislead: /proc answers "No such file or directory" for a new entry.
    let cause = match at {
        Some(at) if e.kind() == ErrorKind::NotFound && at.is_dir() => {
            format!("the file system does not accept new entries there ({e})")
        }
        _ => e.to_string(),
    };
    let place = match at {
        Some(at) if at != given => format!(": cannot write in {}", at.display()),
        _ => String::new(),
    };
    let message = format!("--out {}{place}: {cause}", given.display());
    match e.kind() {
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => Error::failure(message),
        _ => Error::usage(message),
    }
}

/// Whether `dir` is where another file system is mounted.
#[cfg(unix)]
fn is_mount_point(dir: &Path, parent: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::metadata(dir), fs::metadata(parent)) {
        (Ok(d), Ok(p)) => d.dev() != p.dev() || d.ino() == p.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_mount_point(_: &Path, _: &Path) -> bool {
    false
}

/// Whether entries can be created and removed in `dir`, asked of the
/// system without creating anything in it.
#[cfg(unix)]
fn writable(dir: &Path) -> io::Result<()> {
    use rustix::fs::{Access, access};
    access(dir, Access::WRITE_OK | Access::EXEC_OK).map_err(io::Error::from)
}

#[cfg(not(unix))]
fn writable(dir: &Path) -> io::Result<()> {
    if fs::metadata(dir)?.permissions().readonly() {
        Err(io::Error::from(ErrorKind::PermissionDenied))
    } else {
        Ok(())
    }
}

/// The stages a staging directory goes through, in its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Created and removed at once to check that the parent can be written.
    Probe,
    /// Files being written: everything in it is dudsim's.
    New,
    /// Complete, with the user's entries linked in; after the swap, the
    /// previous output directory.
    Swap,
    /// The previous output directory moved aside (where directories cannot
    /// be swapped in one step).
    Old,
}

impl Stage {
    const ALL: [Stage; 4] = [Stage::Probe, Stage::New, Stage::Swap, Stage::Old];

    fn word(self) -> &'static str {
        match self {
            Stage::Probe => "probe",
            Stage::New => "new",
            Stage::Swap => "swap",
            Stage::Old => "old",
        }
    }
}

/// The part of staging names that tells which target they belong to: the
/// target's name, or when that is long or not UTF-8 a prefix and a code of
/// it, so that staging names stay within the 255 bytes file systems allow.
fn staging_stem(name: &std::ffi::OsStr) -> String {
    match name.to_str() {
        Some(s) if s.len() <= 150 => s.to_string(),
        _ => {
            let lossy = name.to_string_lossy();
            let mut cut = 100.min(lossy.len());
            while !lossy.is_char_boundary(cut) {
                cut -= 1;
            }
            let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
            for byte in name.as_encoded_bytes() {
                hash ^= u64::from(*byte);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
            format!("{}~{hash:016x}", &lossy[..cut])
        }
    }
}

/// A fresh staging name for `name`, unique within this process.
fn staging_name(name: &std::ffi::OsStr, stage: Stage) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!(
        ".{}.dudsim-{}-{}-{n}",
        staging_stem(name),
        stage.word(),
        std::process::id()
    )
}

/// The stage of `entry` if it is a staging directory of `name` left by a
/// process that no longer runs.
fn leftover_stage(name: &std::ffi::OsStr, entry: &std::ffi::OsStr) -> Option<Stage> {
    let rest = entry
        .to_str()?
        .strip_prefix(&format!(".{}.dudsim-", staging_stem(name)))?;
    let mut parts = rest.split('-');
    let (word, pid, n) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || n.parse::<u64>().is_err() {
        return None;
    }
    let pid: u32 = pid.parse().ok()?;
    let stage = Stage::ALL.into_iter().find(|s| s.word() == word)?;
    (pid != std::process::id() && !process_alive(pid)).then_some(stage)
}

/// Whether a process runs; when that cannot be known, it is taken to run,
/// so that nothing of a live run is touched.
#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    use rustix::process::{Pid, test_kill_process};
    let Some(pid) = i32::try_from(pid).ok().and_then(Pid::from_raw) else {
        return true;
    };
    test_kill_process(pid) != Err(rustix::io::Errno::SRCH)
}

#[cfg(not(unix))]
fn process_alive(_: u32) -> bool {
    true
}

fn warn_kept(path: &Path, given: &Path) {
    eprintln!(
        "warning: kept {}, left by an interrupted dudsim run: it holds entries that \
         dudsim did not write and could not move back into {}; move them yourself",
        path.display(),
        given.display()
    );
}

/// The names a manifest lists; names that could reach outside the
/// directory are ignored.
fn read_manifest(dir: &Path) -> HashSet<String> {
    let mut text = String::new();
    if let Ok(file) = File::open(dir.join(MANIFEST)) {
        let _ = file.take(MANIFEST_MAX_BYTES).read_to_string(&mut text);
    }
    text.lines()
        .filter(|l| {
            !l.is_empty()
                && !l.starts_with('#')
                && *l != "."
                && *l != ".."
                && *l != MANIFEST
                && !l.contains(['/', '\\', '\0'])
        })
        .map(str::to_string)
        .collect()
}

/// Whether two paths are the same file (hard links of one another).
#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    false
}

/// Empties and removes `dir`, a staging directory of `target` (before the
/// swap: the new files and links to the user's; after it: the previous
/// output): what `dir`'s manifest lists and links to entries of `target`
/// are removed, the user's entries missing from `target` are moved back,
/// and files `target`'s manifest lists replaced their namesakes. Anything
/// else stays; returns whether `dir` is gone.
fn retire(dir: &Path, target: &Path) -> bool {
    let ours = read_manifest(dir);
    let replaced = read_manifest(target);
    let Ok(entries) = fs::read_dir(dir) else {
        return false;
    };
    for entry in entries.filter_map(|e| e.ok()) {
        let name = entry.file_name();
        let Ok(meta) = fs::symlink_metadata(entry.path()) else {
            continue;
        };
        let listed = |set: &HashSet<String>| name.to_str().is_some_and(|n| set.contains(n));
        let at_target = target.join(&name);
        let in_target = fs::symlink_metadata(&at_target);
        if name == MANIFEST {
            continue;
        } else if let Ok(t) = &in_target
            && !meta.is_dir()
            && same_file(&meta, t)
        {
            let _ = fs::remove_file(entry.path());
        } else if listed(&ours) && !meta.is_dir() {
            let _ = fs::remove_file(entry.path());
        } else if in_target.is_err() {
            let _ = fs::rename(entry.path(), &at_target);
        } else if listed(&replaced) && !meta.is_dir() {
            let _ = fs::remove_file(entry.path());
        }
    }
    // The manifest goes last, so that a directory that must stay still
    // tells a later run which of its files are dudsim's.
    let only_manifest = fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .all(|e| e.file_name() == MANIFEST)
        })
        .unwrap_or(false);
    if only_manifest {
        let _ = fs::remove_file(dir.join(MANIFEST));
    }
    fs::remove_dir(dir).is_ok()
}

/// Files destined for an output directory, staged beside it and swapped in
/// all at once by [`StagedOutput::commit`]; dropped uncommitted, it removes
/// what it staged.
pub struct StagedOutput {
    target: Target,
    /// The staging directory.
    dir: PathBuf,
    stage: Stage,
    /// Names of the files written, for the manifest.
    written: RefCell<Vec<String>>,
    committed: Cell<bool>,
    /// Dropped last: a signal caught while staging is re-raised once the
    /// staging directory is gone.
    _signals: signals::Guard,
}

impl StagedOutput {
    /// Starts staging files for `target`.
    pub fn new(target: &Path) -> Result<Self> {
        let target = Target::resolve(target)?;
        target.probe()?;
        target.clean_leftovers();
        fs::create_dir_all(&target.parent).map_err(|e| bad_out(&target.given, None, &e))?;
        let signals = signals::Guard::install();
        let dir = target.parent.join(staging_name(&target.name, Stage::New));
        fs::create_dir(&dir).map_err(|e| bad_out(&target.given, Some(&target.parent), &e))?;
        Ok(StagedOutput {
            target,
            dir,
            stage: Stage::New,
            written: RefCell::new(Vec::new()),
            committed: Cell::new(false),
            _signals: signals,
        })
    }

    /// Writes one file into the staging area.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> Result<()> {
        self.write_with(name, |w| w.write_all(contents.as_ref()))
    }

    /// Writes one file into the staging area through a buffered writer, so
    /// that large files are never held in memory whole.
    pub fn write_with(
        &self,
        name: &str,
        fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<()> {
        let path = self.claim(name)?;
        let written = (|| {
            let file = File::create_new(&path)?;
            let mut out = BufWriter::with_capacity(1 << 16, signals::Checked(file));
            fill(&mut out)?;
            let file = out.into_inner().map_err(|e| e.into_error())?;
            file.0.sync_all()
        })();
        written.map_err(|e| self.failure(name, &e))
    }

    /// Writes one file that its writer must seek in (a GeoTIFF) into the
    /// staging area, through a buffered writer.
    pub fn write_seekable(
        &self,
        name: &str,
        fill: impl FnOnce(&mut BufWriter<signals::Checked>) -> io::Result<()>,
    ) -> Result<()> {
        let path = self.claim(name)?;
        let written = (|| {
            let file = File::create_new(&path)?;
            let mut out = BufWriter::with_capacity(1 << 16, signals::Checked(file));
            fill(&mut out)?;
            let file = out.into_inner().map_err(|e| e.into_error())?;
            file.0.sync_all()
        })();
        written.map_err(|e| self.failure(name, &e))
    }

    /// Writes a copy of the staged file `from` under the name `to`.
    pub fn copy(&self, from: &str, to: &str) -> Result<()> {
        let path = self.claim(to)?;
        fs::copy(self.dir.join(from), path).map_err(|e| self.failure(to, &e))?;
        Ok(())
    }

    /// Writes every chart as `NAME.png` and `NAME.svg`.
    pub fn write_charts(&self, charts: &[charts::Chart]) -> Result<()> {
        for chart in charts {
            self.write(&format!("{}.png", chart.name), &chart.png)?;
            self.write(&format!("{}.svg", chart.name), &chart.svg)?;
        }
        Ok(())
    }

    /// Records `name` as written and returns its path in the staging area.
    fn claim(&self, name: &str) -> Result<PathBuf> {
        signals::check().map_err(|e| self.failure(name, &e))?;
        let plain = Path::new(name)
            .components()
            .eq([Component::Normal(name.as_ref())]);
        if !plain || name == MANIFEST || self.written.borrow().iter().any(|n| n == name) {
            return Err(Error::failure(format!(
                "internal error: output file name {name:?} is not a new plain name"
            )));
        }
        self.written.borrow_mut().push(name.to_string());
        Ok(self.dir.join(name))
    }

    fn failure(&self, name: &str, e: &io::Error) -> Error {
        Error::failure(format!(
            "cannot write {}: {e}",
            self.target.given.join(name).display()
        ))
    }

    /// Swaps the staged files in for the target directory's: afterwards it
    /// holds exactly the files written here, the manifest, and every entry
    /// of the previous directory that dudsim did not write. Returns the
    /// directory as the user named it.
    pub fn commit(mut self) -> Result<PathBuf> {
        let given = self.target.given.clone();
        let fail = |what: &str, e: io::Error| {
            Error::failure(format!("cannot write {}: {what}: {e}", given.display()))
        };
        signals::check().map_err(|e| fail("stopped", e))?;
        let mut names = self.written.borrow().clone();
        names.sort();
        let mut manifest = String::from(MANIFEST_HEADER);
        for name in &names {
            manifest.push_str(name);
            manifest.push('\n');
        }
        self.write_manifest(&manifest)
            .map_err(|e| self.failure(MANIFEST, &e))?;
        sync_dir(&self.dir);

        let real = self.target.real.clone();
        if !self.target.exists() {
            fs::rename(&self.dir, &real).map_err(|e| fail("cannot move the new files in", e))?;
            self.committed.set(true);
            sync_dir(&self.target.parent);
            return Ok(given);
        }
        let carried = self.carry_over(&names.into_iter().collect())?;
        let swap = self
            .target
            .parent
            .join(staging_name(&self.target.name, Stage::Swap));
        fs::rename(&self.dir, &swap).map_err(|e| fail("cannot stage the new files", e))?;
        self.dir = swap;
        self.stage = Stage::Swap;
        test_pause("swap");
        signals::check().map_err(|e| fail("stopped", e))?;

        // The switch: one rename; the previous directory is now at `previous`.
        let previous = exchange(&self.dir, &real, &self.target).map_err(|e| {
            let what = if e.kind() == ErrorKind::ResourceBusy {
                "cannot swap in the new directory (is it a mount point?)"
            } else {
                "cannot swap in the new directory"
            };
            fail(what, e)
        })?;
        self.committed.set(true);
        test_pause("exchanged");
        for name in carried {
            let _ = fs::rename(previous.join(&name), real.join(&name));
        }
        if !retire(&previous, &real) {
            warn_kept(&previous, &given);
        }
        sync_dir(&self.target.parent);
        Ok(given)
    }

    fn write_manifest(&self, text: &str) -> io::Result<()> {
        let mut file = File::create_new(self.dir.join(MANIFEST))?;
        file.write_all(text.as_bytes())?;
        file.sync_all()
    }

    /// Links the user's entries of the existing target into the staging
    /// directory; returns those that cannot be linked (directories), to be
    /// moved over after the swap. Refuses a directory of the user's where a
    /// new file goes.
    fn carry_over(&self, new: &HashSet<String>) -> Result<Vec<OsString>> {
        let real = &self.target.real;
        let given = &self.target.given;
        let read = |e: io::Error| Error::failure(format!("cannot read {}: {e}", given.display()));
        let stale = read_manifest(real);
        let mut later = Vec::new();
        for entry in fs::read_dir(real).map_err(read)? {
            let entry = entry.map_err(read)?;
            let name = entry.file_name();
            let is_dir = entry.file_type().map_err(read)?.is_dir();
            let listed = |set: &HashSet<String>| name.to_str().is_some_and(|n| set.contains(n));
            if name == MANIFEST || (listed(&stale) && !is_dir && !listed(new)) {
                continue;
            }
            if listed(new) {
                if is_dir {
                    return Err(Error::failure(format!(
                        "cannot write {}: a directory of that name is in the way; move or \
                         rename it and run again",
                        given.join(&name).display()
                    )));
                }
                continue;
            }
            if is_dir {
                if is_mount_point(&entry.path(), real) {
                    return Err(Error::failure(format!(
                        "cannot replace {}: {} is a mount point, which dudsim cannot move into \
                         the new output directory; choose another --out",
                        given.display(),
                        given.join(&name).display()
                    )));
                }
                later.push(name);
            } else if fs::hard_link(entry.path(), self.dir.join(&name)).is_err() {
                later.push(name);
            }
        }
        if let Ok(meta) = fs::metadata(real) {
            let _ = fs::set_permissions(&self.dir, meta.permissions());
        }
        Ok(later)
    }
}

/// Swaps `staged` and `target` in one step; returns where the previous
/// target now is.
fn exchange(staged: &Path, target: &Path, t: &Target) -> io::Result<PathBuf> {
    #[cfg(target_os = "linux")]
    {
        match rename_exchange(staged, target) {
            Ok(()) => return Ok(staged.to_path_buf()),
            Err(e)
                if e.raw_os_error() != Some(rustix::io::Errno::INVAL.raw_os_error())
                    && e.raw_os_error() != Some(rustix::io::Errno::NOSYS.raw_os_error()) =>
            {
                return Err(e);
            }
            Err(_) => {}
        }
    }
    swap_by_renames(staged, target, t)
}

/// Where the file system cannot swap directories in one step: the previous
/// target is moved aside, then the staged directory in. Should the process
/// die between the two renames, the next run finds the target missing and
/// its `old` staging directory, and puts it back.
fn swap_by_renames(staged: &Path, target: &Path, t: &Target) -> io::Result<PathBuf> {
    let old = t.parent.join(staging_name(&t.name, Stage::Old));
    fs::rename(target, &old)?;
    if let Err(e) = fs::rename(staged, target) {
        let _ = fs::rename(&old, target);
        return Err(e);
    }
    Ok(old)
}

/// `renameat2(RENAME_EXCHANGE)`: both paths stay valid throughout.
#[cfg(target_os = "linux")]
fn rename_exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

/// Flushes a directory's entries to disk, so that a swap survives a power
/// cut; a file system that cannot is no reason to fail.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// For tests of the commit: `DUDSIM_TEST_PAUSE=<point>` makes dudsim say so
/// on stderr and wait at that point of the commit, to be killed there.
fn test_pause(point: &str) {
    if std::env::var_os("DUDSIM_TEST_PAUSE").is_some_and(|p| p == point) {
        eprintln!("dudsim: paused at {point}");
        std::thread::sleep(std::time::Duration::from_secs(600));
    }
}

impl Drop for StagedOutput {
    fn drop(&mut self) {
        if self.committed.get() {
            return;
        }
        match self.stage {
            Stage::Swap => {
                let _ = retire(&self.dir, &self.target.real);
            }
            _ => {
                let _ = fs::remove_dir_all(&self.dir);
            }
        }
    }
}

/// SIGINT and SIGTERM while files are staged: noted, so that the writing
/// stops and the staging directory is removed, then acted on as by default.
/// (SIGHUP is left alone, so that `nohup` keeps ignoring it; a run it ends
/// leaves a staging directory the next run clears away.)
mod signals {
    use std::io::{self, Seek, Write};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// The signal that arrived since the handlers were installed, or 0.
    static CAUGHT: std::sync::LazyLock<Arc<AtomicUsize>> =
        std::sync::LazyLock::new(|| Arc::new(AtomicUsize::new(0)));

    /// An error if a signal arrived since the handlers were installed.
    pub fn check() -> io::Result<()> {
        if CAUGHT.load(Ordering::SeqCst) != 0 {
            return Err(io::Error::other("interrupted by a signal"));
        }
        Ok(())
    }

    /// A file that refuses further writes once a signal has arrived.
    pub struct Checked(pub std::fs::File);

    impl Write for Checked {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            check()?;
            self.0.write(buf)
        }

        fn flush(&mut self) -> io::Result<()> {
            self.0.flush()
        }
    }

    impl Seek for Checked {
        fn seek(&mut self, to: io::SeekFrom) -> io::Result<u64> {
            self.0.seek(to)
        }
    }

    /// The handlers, while it lives; dropped, it removes them and acts on
    /// a signal that arrived meanwhile as the system would have.
    pub struct Guard {
        #[cfg(unix)]
        handlers: Vec<signal_hook::SigId>,
    }

    impl Guard {
        pub fn install() -> Guard {
            #[cfg(unix)]
            {
                use signal_hook::consts::{SIGINT, SIGTERM};
                let handlers = [SIGINT, SIGTERM]
                    .into_iter()
                    .filter_map(|signal| {
                        signal_hook::flag::register_usize(
                            signal,
                            Arc::clone(&CAUGHT),
                            signal as usize,
                        )
                        .ok()
                    })
                    .collect();
                Guard { handlers }
            }
            #[cfg(not(unix))]
            Guard {}
        }
    }

    impl Drop for Guard {
        fn drop(&mut self) {
            #[cfg(unix)]
            {
                for id in self.handlers.drain(..) {
                    signal_hook::low_level::unregister(id);
                }
                let caught = CAUGHT.swap(0, Ordering::SeqCst);
                if caught != 0 {
                    let _ = signal_hook::low_level::emulate_default_handler(caught as i32);
                }
            }
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// The id of a process that has ended.
    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        pid
    }

    fn write(path: &Path, text: &str) {
        fs::write(path, text).unwrap();
    }

    fn read(path: &Path) -> String {
        fs::read_to_string(path).unwrap()
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn only_staging_directories_of_dead_runs_are_leftovers() {
        let out = std::ffi::OsStr::new("out");
        let dead = dead_pid();
        for stage in Stage::ALL {
            let name = format!(".out.dudsim-{}-{dead}-7", stage.word());
            assert_eq!(leftover_stage(out, name.as_ref()), Some(stage));
        }
        let own = std::process::id();
        for name in [
            format!(".out.dudsim-new-{own}-0"),
            ".out.dudsim-new-1-0".to_string(),
            format!(".out.dudsim-new-{dead}"),
            format!(".out.dudsim-new-{dead}-0-1"),
            format!(".out.dudsim-other-{dead}-0"),
            format!(".other.dudsim-new-{dead}-0"),
            format!(".out.dudsim-new-{dead}-0.dudsim-new-{dead}-1"),
            format!("out.dudsim-new-{dead}-0"),
        ] {
            assert_eq!(leftover_stage(out, name.as_ref()), None, "{name}");
        }
        // Long names get a short stem, the same every time.
        let long = "n".repeat(250);
        let stem = staging_stem(long.as_ref());
        assert!(stem.len() < 130 && stem == staging_stem(long.as_ref()));
        assert_ne!(stem, staging_stem("n".repeat(251).as_ref()));
        assert!(staging_name(long.as_ref(), Stage::Probe).len() < 200);
    }

    /// The fallback swap of two renames, killed between them: the next run
    /// puts the previous output back and retires the staged one.
    #[test]
    fn a_kill_between_the_two_renames_is_undone() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        fs::create_dir(&out).unwrap();
        write(&out.join("a.txt"), "old a");
        write(&out.join(MANIFEST), "# dudsim\na.txt\n");
        write(&out.join("notes.txt"), "mine");
        fs::create_dir(out.join("mine")).unwrap();
        let dead = dead_pid();
        let staged = tmp.path().join(format!(".out.dudsim-swap-{dead}-1"));
        fs::create_dir(&staged).unwrap();
        write(&staged.join("b.txt"), "new b");
        write(&staged.join(MANIFEST), "b.txt\n");
        fs::hard_link(out.join("notes.txt"), staged.join("notes.txt")).unwrap();
        // The first rename, and the kill.
        fs::rename(&out, tmp.path().join(format!(".out.dudsim-old-{dead}-2"))).unwrap();

        prepare_target(&out).unwrap();
        assert_eq!(entries(tmp.path()), ["out"]);
        assert_eq!(entries(&out), [MANIFEST, "a.txt", "mine", "notes.txt"]);
        assert_eq!(read(&out.join("notes.txt")), "mine");
    }

    /// The fallback swap completed: the previous output's listed files go,
    /// the user's entries come over, replaced namesakes go.
    #[test]
    fn the_two_rename_swap_carries_the_users_entries_over() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        fs::create_dir(&out).unwrap();
        write(&out.join("a.txt"), "old a");
        write(
            &out.join("b.txt"),
            "b not listed: an older dudsim's, or the user's",
        );
        write(&out.join(MANIFEST), "a.txt\n../escape\n");
        write(&out.join("notes.txt"), "mine");
        fs::create_dir(out.join("mine")).unwrap();
        write(&out.join("mine/a.txt"), "mine too");
        write(&tmp.path().join("escape"), "outside");

        let staged = StagedOutput::new(&out).unwrap();
        staged.write("b.txt", "new b").unwrap();
        staged.write("c.txt", "new c").unwrap();
        staged.write_manifest("b.txt\nc.txt\n").unwrap();
        let carried = staged
            .carry_over(&["b.txt", "c.txt"].map(String::from).into())
            .unwrap();
        assert_eq!(carried, [OsString::from("mine")]);
        let real = staged.target.real.clone();
        let previous = swap_by_renames(&staged.dir, &real, &staged.target).unwrap();
        staged.committed.set(true);
        for name in carried {
            fs::rename(previous.join(&name), real.join(&name)).unwrap();
        }
        assert!(retire(&previous, &real));
        assert_eq!(
            entries(&out),
            [MANIFEST, "b.txt", "c.txt", "mine", "notes.txt"]
        );
        assert_eq!(read(&out.join("b.txt")), "new b");
        assert_eq!(read(&out.join("mine/a.txt")), "mine too");
        assert_eq!(read(&tmp.path().join("escape")), "outside");
        drop(staged);
        assert_eq!(entries(tmp.path()), ["escape", "out"]);
    }

    #[test]
    fn a_file_name_that_is_not_plain_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let staged = StagedOutput::new(&tmp.path().join("out")).unwrap();
        for bad in ["../x", "a/b", ".", "..", "", MANIFEST, "/etc/x"] {
            assert!(staged.write(bad, "x").is_err(), "{bad}");
        }
        staged.write("a", "x").unwrap();
        assert!(staged.write("a", "again").is_err());
        drop(staged);
        assert!(entries(tmp.path()).is_empty());
    }
}
