//! `--set KEY=VALUE`: one input of a scenario file changed from the
//! command line. The change is made to the parsed document before it is
//! validated, so that every check a file's value gets applies to it too,
//! and its errors name the key and the `--set` at fault.
//!
//! Keys are named as in `sensitivity.csv`: `munition.ID.FIELD`,
//! `scenario.NAME.strikes[K].FIELD`, `scenario.NAME.aftermath.FIELD`,
//! `scenario.NAME.clearance.FIELD`, `scenario.NAME.area.FIELD`, and
//! `simulation.FIELD` or `title`. A munition of the catalog that the file
//! does not define gets a `[[munition]]` table of its own; a missing
//! table (`[scenario.aftermath]`, `[scenario.clearance]`, ...) is created.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use toml::Spanned;
use toml::de::{DeArray, DeString, DeTable, DeValue};

use super::catalog;
use super::document::closest;

/// One input changed from the command line: `KEY=VALUE`, the value in TOML.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Override {
    /// The input, named as in `sensitivity.csv` (`munition.9M55K.dud_rate`).
    pub key: String,
    /// Its new value in TOML syntax (`0.35`, `{ uniform = [0.3, 0.4] }`).
    pub value: String,
}

impl Override {
    /// An override of `key` with the TOML text `value`.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Override {
            key: key.into(),
            value: value.into(),
        }
    }
}

impl FromStr for Override {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let Some((key, value)) = text.split_once('=') else {
            return Err(format!(
                "--set \"{text}\": expected KEY=VALUE, e.g. munition.9M55K.dud_rate=0.35"
            ));
        };
        let (key, value) = (key.trim(), value.trim());
        if key.is_empty() || value.is_empty() {
            return Err(format!(
                "--set \"{text}\": expected KEY=VALUE with both given, e.g. munition.9M55K.dud_rate=0.35"
            ));
        }
        Ok(Override::new(key, value))
    }
}

impl fmt::Display for Override {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.key, self.value)
    }
}

/// Why an override cannot be applied, before any value is checked.
#[derive(Debug)]
pub(crate) struct Refusal {
    pub message: String,
    pub hint: Option<String>,
}

impl Refusal {
    fn new(message: impl Into<String>) -> Self {
        Refusal {
            message: message.into(),
            hint: None,
        }
    }

    fn hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }
}

/// One step of a key path: a key and the array indices after it
/// (`strikes[0]` is `strikes` then 0).
struct Step<'k> {
    key: &'k str,
    indices: Vec<usize>,
}

fn steps(path: &str) -> Result<Vec<Step<'_>>, Refusal> {
    path.split('.')
        .map(|part| {
            let (key, mut rest) = match part.find('[') {
                Some(i) => (&part[..i], &part[i..]),
                None => (part, ""),
            };
            if key.is_empty() {
                return Err(Refusal::new(format!("\"{part}\" is not a key")));
            }
            let mut indices = Vec::new();
            while let Some(after) = rest.strip_prefix('[') {
                let Some((index, tail)) = after.split_once(']') else {
                    return Err(Refusal::new(format!("\"{part}\": a [ without its ]")));
                };
                indices.push(index.trim().parse::<usize>().map_err(|_| {
                    Refusal::new(format!("\"{part}\": [{index}] is not an index from 0"))
                })?);
                rest = tail;
            }
            if !rest.is_empty() {
                return Err(Refusal::new(format!("\"{part}\" is not a key")));
            }
            Ok(Step { key, indices })
        })
        .collect()
}

/// Applies `value` (spans already placed after the file's text) at `key`
/// of the document `root`; `span` is where the override's text lies, for
/// the keys and tables it creates.
pub(crate) fn apply<'a>(
    root: &mut DeTable<'a>,
    key: &'a str,
    value: Spanned<DeValue<'a>>,
    span: Range<usize>,
) -> Result<(), Refusal> {
    let (table, path) = if let Some(rest) = key.strip_prefix("munition.") {
        let (id, field) = rest.rsplit_once('.').ok_or_else(|| {
            Refusal::new("expected munition.ID.FIELD, e.g. munition.9M55K.dud_rate")
        })?;
        (munition_table(root, id, span.clone())?, field)
    } else if let Some(rest) = key.strip_prefix("scenario.") {
        scenario_table(root, rest)?
    } else {
        (root, key)
    };
    set_path(table, &steps(path)?, value, span)
}

/// The `[[munition]]` table of `id`, created for a catalog munition the
/// file does not define.
fn munition_table<'t, 'a>(
    root: &'t mut DeTable<'a>,
    id: &'a str,
    span: Range<usize>,
) -> Result<&'t mut DeTable<'a>, Refusal> {
    let list = root
        .entry(Spanned::new(span.clone(), Cow::Borrowed("munition")))
        .or_insert_with(|| Spanned::new(span.clone(), DeValue::Array(DeArray::new())));
    let DeValue::Array(tables) = list.get_mut() else {
        return Err(Refusal::new(
            "the file's `munition` is not a list of [[munition]] tables",
        ));
    };
    let table_id = |t: &Spanned<DeValue<'a>>| -> Option<String> {
        match t.get_ref().as_table()?.get("id")?.get_ref() {
            DeValue::String(s) => Some(s.trim().to_string()),
            _ => None,
        }
    };
    let index = match tables
        .iter()
        .position(|t| table_id(t).as_deref() == Some(id))
    {
        Some(i) => i,
        None if catalog::find(id).is_some() => {
            let mut table = DeTable::new();
            table.insert(
                Spanned::new(span.clone(), Cow::Borrowed("id")),
                Spanned::new(span.clone(), DeValue::String(Cow::Borrowed(id))),
            );
            tables.push(Spanned::new(span, DeValue::Table(table)));
            tables.len() - 1
        }
        None => {
            let defined: Vec<String> = tables.iter().filter_map(table_id).collect();
            let mut known: Vec<&str> = defined.iter().map(String::as_str).collect();
            known.extend(
                catalog::entries()
                    .iter()
                    .map(|e| e.id)
                    .filter(|c| !defined.iter().any(|d| d == c)),
            );
            return Err(Refusal::new(format!(
                "no munition \"{id}\" in the file or the catalog; munitions: {}",
                known.join(", ")
            ))
            .hint(closest(id, &known).map(|c| format!("did you mean munition.{c}?"))));
        }
    };
    match tables.get_mut(index).map(|t| t.get_mut()) {
        Some(DeValue::Table(table)) => Ok(table),
        _ => Err(Refusal::new(format!(
            "the [[munition]] \"{id}\" is not a table"
        ))),
    }
}

/// The `[[scenario]]` table whose name starts `rest`, and the path after
/// the name. Names may hold dots: the longest name that fits is taken.
fn scenario_table<'t, 'a>(
    root: &'t mut DeTable<'a>,
    rest: &'a str,
) -> Result<(&'t mut DeTable<'a>, &'a str), Refusal> {
    let Some(DeValue::Array(tables)) = root.get_mut("scenario").map(|v| v.get_mut()) else {
        return Err(Refusal::new("the file has no [[scenario]] table"));
    };
    let names: Vec<Option<String>> = tables
        .iter()
        .map(
            |t| match t.get_ref().as_table().and_then(|t| t.get("name")) {
                Some(v) => match v.get_ref() {
                    DeValue::String(s) => Some(s.trim().to_string()),
                    _ => None,
                },
                None => None,
            },
        )
        .collect();
    let best = names
        .iter()
        .enumerate()
        .filter_map(|(i, n)| n.as_ref().map(|n| (i, n)))
        .filter(|(_, n)| rest.len() > n.len() + 1 && rest.starts_with(n.as_str()))
        .filter(|(_, n)| rest.as_bytes()[n.len()] == b'.')
        .max_by_key(|(_, n)| n.len());
    let Some((index, name)) = best else {
        let listed: Vec<&str> = names.iter().flatten().map(String::as_str).collect();
        let guess = rest.rsplit_once('.').map_or(rest, |(n, _)| {
            [".aftermath", ".strikes", ".area", ".clearance", ".exposure"]
                .iter()
                .find_map(|section| n.split_once(section))
                .map_or(n, |(n, _)| n)
        });
        return Err(Refusal::new(format!(
            "no scenario named \"{guess}\" (keys are scenario.NAME.FIELD); scenarios: {}",
            listed
                .iter()
                .map(|n| format!("\"{n}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .hint(closest(guess, &listed).map(|c| format!("did you mean scenario.{c}?"))));
    };
    let path = &rest[name.len() + 1..];
    match tables.get_mut(index).map(|t| t.get_mut()) {
        Some(DeValue::Table(table)) => Ok((table, path)),
        _ => Err(Refusal::new("a [[scenario]] that is not a table")),
    }
}

/// Sets `value` at `path` under `table`, creating the tables on the way.
fn set_path<'a>(
    table: &mut DeTable<'a>,
    path: &[Step<'a>],
    value: Spanned<DeValue<'a>>,
    span: Range<usize>,
) -> Result<(), Refusal> {
    let (step, rest) = path.split_first().expect("a key has at least one step");
    let key = Spanned::new(span.clone(), Cow::Borrowed(step.key));
    if rest.is_empty() && step.indices.is_empty() {
        // The key's span is the override's, so that an unknown key is
        // reported at the --set that introduced it.
        table.remove(step.key);
        table.insert(key, value);
        return Ok(());
    }
    let slot = table.entry(key).or_insert_with(|| {
        let empty = if step.indices.is_empty() {
            DeValue::Table(DeTable::new())
        } else {
            DeValue::Array(DeArray::new())
        };
        Spanned::new(span.clone(), empty)
    });
    let mut slot = slot;
    for (n, &index) in step.indices.iter().enumerate() {
        let DeValue::Array(items) = slot.get_mut() else {
            return Err(Refusal::new(format!(
                "`{}` is not a list, so [{index}] names nothing",
                step.key
            )));
        };
        let len = items.len();
        let Some(item) = items.get_mut(index) else {
            return Err(Refusal::new(format!(
                "`{}` has {len} entr{}: [{index}] is out of range{}",
                step.key,
                if len == 1 { "y" } else { "ies" },
                if len == 0 {
                    String::new()
                } else {
                    format!(" (0 to {})", len - 1)
                }
            )));
        };
        if rest.is_empty() && n + 1 == step.indices.len() {
            *item = value;
            return Ok(());
        }
        slot = item;
    }
    match slot.get_mut() {
        DeValue::Table(inner) => set_path(inner, rest, value, span),
        _ => Err(Refusal::new(format!(
            "`{}` is not a table, so it has no `{}`",
            step.key, rest[0].key
        ))),
    }
}

/// The same value with every span moved `by` bytes later: an override's
/// value is parsed on its own, and placed after the file's text so that
/// its errors can be told from the file's.
pub(crate) fn shifted<'a>(value: Spanned<DeValue<'a>>, by: usize) -> Spanned<DeValue<'a>> {
    let span = value.span();
    let moved = span.start + by..span.end + by;
    let inner = match value.into_inner() {
        DeValue::Array(items) => {
            let mut out = DeArray::new();
            for item in items.iter().cloned() {
                out.push(shifted(item, by));
            }
            DeValue::Array(out)
        }
        DeValue::Table(table) => DeValue::Table(shifted_table(table, by)),
        other => other,
    };
    Spanned::new(moved, inner)
}

fn shifted_table(table: DeTable<'_>, by: usize) -> DeTable<'_> {
    let mut out = DeTable::new();
    for (key, value) in table {
        let span = key.span();
        let key: Spanned<DeString<'_>> =
            Spanned::new(span.start + by..span.end + by, key.into_inner());
        out.insert(key, shifted(value, by));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_read_key_equals_value() {
        let o: Override = "munition.9M55K.dud_rate = { uniform = [0.3, 0.4] }"
            .parse()
            .unwrap();
        assert_eq!(o.key, "munition.9M55K.dud_rate");
        assert_eq!(o.value, "{ uniform = [0.3, 0.4] }");
        assert_eq!(
            o.to_string(),
            "munition.9M55K.dud_rate={ uniform = [0.3, 0.4] }"
        );
        assert!("no-equals".parse::<Override>().is_err());
        assert!("=0.3".parse::<Override>().is_err());
        assert!("key=".parse::<Override>().is_err());
    }

    #[test]
    fn key_paths_split_into_keys_and_indices() {
        let s = steps("strikes[0].carriers").unwrap();
        assert_eq!((s[0].key, s[0].indices.clone()), ("strikes", vec![0]));
        assert_eq!((s[1].key, s[1].indices.len()), ("carriers", 0));
        assert!(steps("strikes[x]").is_err());
        assert!(steps("strikes[0").is_err());
        assert!(steps("a..b").is_err());
    }
}
