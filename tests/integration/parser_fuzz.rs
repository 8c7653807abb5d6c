//! The scenario parser on arbitrary bytes and on valid files mutated at
//! random: it never panics, and either accepts the input or refuses it with
//! an `InputError` naming the file; the `dudsim check` command then exits 0
//! or 2 with one message. What the parser accepts, within the limits the
//! commands enforce, runs.

use dudsim::budget::{self, RunKind};
use dudsim::{Engine, RunSettings, RunStats, ScenarioFile};
use proptest::prelude::*;

use crate::bad_input::VALID;
use crate::common::{dudsim, proptest_config, stderr, temp_dir};

/// The valid files mutated: the small one of the bad-input tests, the
/// built-in default (areas, aftermaths, comments) and the historical
/// campaigns (many munitions and scenarios).
fn sources() -> [&'static str; 3] {
    [
        VALID,
        dudsim::default_text(),
        dudsim::validation::campaigns_text(),
    ]
}

/// Pieces inserted into a file: what TOML and the scenario format give
/// meaning to, and numbers at the edges of what is allowed.
const PIECES: [&str; 24] = [
    "0",
    "-",
    "1e400",
    "nan",
    "inf",
    "[",
    "]",
    "{",
    "}",
    "=",
    "\"",
    "\n",
    ",",
    ".",
    "9",
    "#",
    "'",
    "\\",
    "[[scenario]]\n",
    "[scenario.area]\n",
    "uniform = [",
    "18446744073709551616",
    "\u{0}",
    "é",
];

/// One edit at a position given as a share of the text.
#[derive(Debug, Clone)]
enum Edit {
    Delete(f64, usize),
    Duplicate(f64, usize),
    Insert(f64, &'static str),
    Swap(f64, f64),
}

fn edit() -> impl Strategy<Value = Edit> {
    let at = || 0.0..1.0f64;
    prop_oneof![
        (at(), 1usize..20).prop_map(|(at, n)| Edit::Delete(at, n)),
        (at(), 1usize..40).prop_map(|(at, n)| Edit::Duplicate(at, n)),
        (at(), prop::sample::select(&PIECES[..])).prop_map(|(at, p)| Edit::Insert(at, p)),
        (at(), at()).prop_map(|(a, b)| Edit::Swap(a, b)),
    ]
}

/// `source` with `edits` applied, character by character.
fn mutated(source: &str, edits: &[Edit]) -> String {
    let mut text: Vec<char> = source.chars().collect();
    let index = |text: &Vec<char>, at: f64| ((at * text.len() as f64) as usize).min(text.len());
    for edit in edits {
        match *edit {
            Edit::Delete(at, n) => {
                let i = index(&text, at);
                let end = (i + n).min(text.len());
                text.drain(i..end);
            }
            Edit::Duplicate(at, n) => {
                let i = index(&text, at);
                let end = (i + n).min(text.len());
                let copy: Vec<char> = text[i..end].to_vec();
                text.splice(i..i, copy);
            }
            Edit::Insert(at, piece) => {
                let i = index(&text, at);
                text.splice(i..i, piece.chars());
            }
            Edit::Swap(a, b) => {
                if !text.is_empty() {
                    let (i, j) = (index(&text, a), index(&text, b));
                    let last = text.len() - 1;
                    text.swap(i.min(last), j.min(last));
                }
            }
        }
    }
    text.into_iter().collect()
}

/// Parses `text` as `name`: never a panic, and a refusal names the file.
/// An accepted file that the commands would run (within a second of
/// processor time and 256 MiB) runs two replicates.
fn parses_or_refuses(name: &str, text: &str) -> Result<(), TestCaseError> {
    match ScenarioFile::parse(name, text) {
        Ok(file) => {
            let work = budget::run_work(&file, 2, &|_| 1.0, true);
            let memory = budget::run_memory(&file, RunKind::Statistics, 1, 1).total();
            if work.cpu_hours < 1.0 / 3600.0 && memory < 256 << 20 {
                let engine = Engine::new(&file, &RunSettings::from_file(&file));
                let stats = RunStats::collect(&engine, 0..2, &|_| {});
                prop_assert_eq!(stats.replicates(), 2);
            }
        }
        Err(e) => {
            prop_assert_eq!(e.file.as_deref(), Some(name));
            prop_assert!(!e.message.is_empty());
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(proptest_config(400))]

    #[test]
    fn mutated_valid_files_parse_or_are_refused(
        source in 0usize..3,
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        let text = mutated(sources()[source], &edits);
        parses_or_refuses("mutated.toml", &text)?;
    }

    #[test]
    fn arbitrary_text_parses_or_is_refused(
        chars in prop::collection::vec(any::<char>(), 0..400),
    ) {
        let text: String = chars.into_iter().collect();
        parses_or_refuses("arbitrary.toml", &text)?;
    }

    #[test]
    fn valid_files_with_arbitrary_bytes_inserted_parse_or_are_refused(
        source in 0usize..3,
        at in 0.0..1.0f64,
        bytes in prop::collection::vec(any::<u8>(), 1..40),
    ) {
        // Any bytes, not only UTF-8: read from a file, as the commands do.
        let source = sources()[source].as_bytes();
        let i = (at * source.len() as f64) as usize;
        let mut content = source[..i].to_vec();
        content.extend_from_slice(&bytes);
        content.extend_from_slice(&source[i..]);
        let tmp = temp_dir();
        let path = tmp.path().join("bytes.toml");
        std::fs::write(&path, &content).unwrap();
        match ScenarioFile::load(&path) {
            Ok(_) => prop_assert!(std::str::from_utf8(&content).is_ok()),
            Err(e) => {
                let name = path.display().to_string();
                prop_assert_eq!(e.file.as_deref(), Some(name.as_str()));
                prop_assert!(!e.message.is_empty());
            }
        }
    }
}

proptest! {
    // Each case starts the binary: fewer of them.
    #![proptest_config(proptest_config(40))]

    #[test]
    fn check_exits_0_or_2_with_one_message_on_mutated_files(
        source in 0usize..3,
        // Light mutations, so that some files are accepted too.
        edits in prop::collection::vec(edit(), 1..3),
        bytes in prop::collection::vec(any::<u8>(), 0..3),
    ) {
        let mut content = mutated(sources()[source], &edits).into_bytes();
        let at = content.len() / 2;
        content.splice(at..at, bytes);
        let tmp = temp_dir();
        std::fs::write(tmp.path().join("f.toml"), &content).unwrap();
        let out = dudsim(["check", "f.toml"]).current_dir(tmp.path()).output();
        let stderr = stderr(&out);
        prop_assert!(!stderr.contains("panicked"), "{}", stderr);
        match out.status.code() {
            Some(0) => prop_assert!(stderr.is_empty(), "{}", stderr),
            Some(2) => {
                // Every error found is reported, each from an `error: `
                // line naming the file.
                prop_assert!(stderr.starts_with("error: "), "{}", stderr);
                for line in stderr.lines().filter(|l| l.starts_with("error: ")) {
                    prop_assert!(line.contains("f.toml"), "{}", stderr);
                }
            }
            other => prop_assert!(false, "exit status {:?}: {}", other, stderr),
        }
    }
}
