//! A typed walk over a parsed TOML document that remembers where every key
//! and value came from, so that each complaint names file, line and key.

use std::cell::RefCell;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::dist::{
    CountDist, CountShape, MAX_BETA_PARAMETER, MAX_POISSON_MEAN, MIN_BETA_PARAMETER, ProbDist,
    ProbShape, quoted,
};
use super::overrides::{self, Override};
use super::time::{DurationValue, PositiveDist, StepDuration, TimeUnit};
use crate::error::{Excerpt, InputError};

/// A parsed TOML document, the name of the file it came from, the
/// command line's overrides applied to it, and the errors found so far.
pub(crate) struct Document<'a> {
    file: &'a str,
    text: &'a str,
    overrides: &'a [Override],
    /// Where each override's value starts in the spans: after the file's
    /// text, one after the other.
    override_starts: Vec<usize>,
    root: Spanned<DeTable<'a>>,
    /// Errors of independent keys, reported all at once at the end.
    errors: RefCell<Vec<InputError>>,
}

impl<'a> Document<'a> {
    /// Parses `text` and applies `overrides`; every syntax error is
    /// reported at its line and column.
    pub fn parse(
        file: &'a str,
        text: &'a str,
        overrides: &'a [Override],
    ) -> Result<Self, InputError> {
        let (root, syntax) = DeTable::parse_recoverable(text);
        let mut override_starts = Vec::with_capacity(overrides.len());
        let mut next = text.len() + 1;
        for o in overrides {
            override_starts.push(next);
            next += o.value.len() + 1;
        }
        let mut doc = Document {
            file,
            text,
            overrides,
            override_starts,
            root,
            errors: RefCell::new(Vec::new()),
        };
        for e in &syntax {
            let span = e.span().unwrap_or(0..0);
            let message = format!("not valid TOML: {}", e.message().trim());
            let line = doc.line_text(span.start);
            let error = doc.error_at(span.clone(), line_key(line), message);
            let hint = syntax_hint(line);
            doc.report(match hint {
                Some(h) => error.with_hint(h),
                None => error,
            });
        }
        doc.finish()?;
        for (o, &start) in overrides.iter().zip(&doc.override_starts.clone()) {
            let at = |message: String| InputError {
                file: Some(format!("--set {o}")),
                key: Some(o.key.clone()),
                message,
                ..InputError::default()
            };
            let value = match DeValue::parse(&o.value) {
                Ok(v) => v,
                Err(e) => {
                    let bare = o
                        .value
                        .chars()
                        .all(|c| c.is_alphanumeric() || "-_ ".contains(c));
                    let error = at(format!("not a TOML value: {}", e.message().trim()));
                    doc.report(if bare {
                        error
                            .with_hint(format!("quote a string: --set '{}=\"{}\"'", o.key, o.value))
                    } else {
                        error
                    });
                    continue;
                }
            };
            let value = overrides::shifted(value, start);
            let span = start..start + o.value.len();
            if let Err(refusal) = overrides::apply(doc.root.get_mut(), &o.key, value, span) {
                let error = at(refusal.message);
                doc.report(match refusal.hint {
                    Some(h) => error.with_hint(h),
                    None => error,
                });
            }
        }
        doc.finish()?;
        Ok(doc)
    }

    /// The top-level table.
    pub fn root(&self) -> Table<'_> {
        Table {
            doc: self,
            path: String::new(),
            header: "the top level".to_string(),
            table: self.root.get_ref(),
            span: self.root.span(),
        }
    }

    /// The index of the override whose value holds byte `offset` of the
    /// spans, if any.
    fn override_index(&self, offset: usize) -> Option<usize> {
        if offset <= self.text.len() {
            return None;
        }
        self.override_starts
            .partition_point(|&s| s <= offset)
            .checked_sub(1)
    }

    /// The override whose value holds byte `offset` of the spans, if any.
    fn override_at(&self, offset: usize) -> Option<&'a Override> {
        let overrides: &'a [Override] = self.overrides;
        overrides.get(self.override_index(offset)?)
    }

    /// The text a span covers, in the file or in an override's value.
    pub fn source(&self, span: &Range<usize>) -> &'a str {
        let text: &'a str = self.text;
        match self.override_index(span.start) {
            None => text.get(span.clone()).unwrap_or(""),
            Some(i) => {
                let overrides: &'a [Override] = self.overrides;
                let value: &'a str = &overrides[i].value;
                let start = self.override_starts[i];
                value
                    .get(span.start - start..(span.end - start).min(value.len()))
                    .unwrap_or("")
            }
        }
    }

    /// The line of the file holding byte `offset`.
    fn line_text(&self, offset: usize) -> &'a str {
        let offset = offset.min(self.text.len());
        let start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let end = self.text[offset..]
            .find('\n')
            .map_or(self.text.len(), |i| offset + i);
        self.text[start..end].trim_end_matches('\r')
    }

    /// An error located at a byte span of this document (or of an override).
    pub fn error_at(
        &self,
        span: Range<usize>,
        key: &str,
        message: impl Into<String>,
    ) -> InputError {
        let key = (!key.is_empty()).then(|| key.to_string());
        if let Some(o) = self.override_at(span.start) {
            return InputError {
                file: Some(format!("--set {o}")),
                key,
                message: message.into(),
                ..InputError::default()
            };
        }
        let start = span.start.min(self.text.len());
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line = self.line_text(start);
        let column = self.text[line_start..start].chars().count() + 1;
        let under = span.end.min(line_start + line.len()).max(start);
        let width = self.text[start..under].chars().count().max(1);
        InputError {
            file: Some(self.file.to_string()),
            line: Some(line_of(self.text, start)),
            column: Some(column),
            key,
            message: message.into(),
            excerpt: Some(Excerpt {
                text: line.replace('\t', " "),
                width,
            }),
            ..InputError::default()
        }
    }

    /// Records an error and goes on, so that errors of independent keys
    /// are all reported at once.
    pub fn report(&self, error: InputError) {
        self.errors.borrow_mut().push(error);
    }

    /// The value of `result`, or `None` after recording its error.
    pub fn keep<T>(&self, result: Result<T, InputError>) -> Option<T> {
        result.map_err(|e| self.report(e)).ok()
    }

    /// Every error recorded so far as one, in the order of the file
    /// (overrides last); `Ok` when there is none.
    pub fn finish(&self) -> Result<(), InputError> {
        let mut errors = std::mem::take(&mut *self.errors.borrow_mut());
        if errors.is_empty() {
            return Ok(());
        }
        errors.sort_by_key(|e| (e.line.is_none(), e.line, e.column));
        errors.dedup();
        let mut first = errors.remove(0);
        first.more = errors;
        Err(first)
    }
}

/// The key a `key = value` line sets, as written (the table it sits in
/// is not known when the file does not parse); empty for other lines.
fn line_key(line: &str) -> &str {
    let Some((key, _)) = line.split_once('=') else {
        return "";
    };
    let key = key.trim();
    let bare = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ' ');
    if !key.is_empty() && key.chars().all(bare) {
        key
    } else {
        ""
    }
}

/// A hint for a syntax error on `line`: a decimal comma (`0,02`).
fn syntax_hint(line: &str) -> Option<String> {
    let (_, value) = line.split_once('=')?;
    let value = value.split('#').next()?.trim();
    let (whole, fraction) = value.split_once(',')?;
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let whole_part = whole.trim_start_matches('-');
    (digits(whole_part) && digits(fraction))
        .then(|| format!("use a decimal point: {whole}.{fraction}"))
}

/// 1-based line number of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// A table of the document, with the dotted key path naming it.
pub(crate) struct Table<'d> {
    doc: &'d Document<'d>,
    path: String,
    header: String,
    table: &'d DeTable<'d>,
    span: Range<usize>,
}

impl<'d> Table<'d> {
    /// Renames the table, e.g. from `scenario[0]` to `scenario.NAME` once
    /// the name is known, so later messages use the name users see.
    pub fn renamed(mut self, path: String) -> Self {
        self.path = path;
        self
    }

    /// The full key path of one of this table's keys.
    pub fn key_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// Rejects the keys not in `allowed`, each with a suggestion when one
    /// is close: the first is returned, the others reported. (A misspelt
    /// key is often a required one, so the table is not checked further.)
    pub fn expect_only(&self, allowed: &[&str]) -> Result<(), InputError> {
        let mut unknown = Vec::new();
        for (key, _) in self.table.iter() {
            let name = key.get_ref().as_ref();
            if !allowed.contains(&name) {
                let error = self.doc.error_at(
                    key.span(),
                    &self.key_path(name),
                    format!(
                        "unknown key in {}; allowed keys: {}",
                        self.header,
                        allowed.join(", ")
                    ),
                );
                unknown.push(match closest(name, allowed) {
                    Some(c) => error.with_hint(format!("did you mean `{c}`?")),
                    None => error,
                });
            }
        }
        let mut unknown = unknown.into_iter();
        match unknown.next() {
            None => Ok(()),
            Some(first) => {
                unknown.for_each(|e| self.doc.report(e));
                Err(first)
            }
        }
    }

    /// The document this table belongs to.
    pub fn doc(&self) -> &'d Document<'d> {
        self.doc
    }

    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<Value<'d>> {
        self.table.get(key).map(|value| Value {
            doc: self.doc,
            key: self.key_path(key),
            value,
        })
    }

    /// The value of `key`, which must be present.
    pub fn require(&self, key: &str, what: &str) -> Result<Value<'d>, InputError> {
        self.get(key).ok_or_else(|| self.missing(key, what))
    }

    /// The 1-based line where the table starts.
    pub fn line(&self) -> usize {
        line_of(self.doc.text, self.span.start)
    }

    /// The error for a required `key` that is absent; `what` says what it holds.
    pub fn missing(&self, key: &str, what: &str) -> InputError {
        self.doc.error_at(
            self.span.clone(),
            &self.key_path(key),
            format!("missing in {}: {what}", self.header),
        )
    }
}

/// Edit distance between two short strings, ignoring case.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().flat_map(char::to_lowercase).collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().flat_map(char::to_lowercase).enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The allowed name a misspelt one most likely meant (case does not count).
pub(crate) fn closest<'k>(name: &str, allowed: &[&'k str]) -> Option<&'k str> {
    allowed
        .iter()
        .map(|&k| (edit_distance(name, k), k))
        .filter(|&(d, k)| d <= 2.max(k.len() / 4))
        .min_by_key(|&(d, _)| d)
        .map(|(_, k)| k)
}

/// One value of the document and the key path naming it.
#[derive(Clone)]
pub(crate) struct Value<'d> {
    doc: &'d Document<'d>,
    key: String,
    value: &'d Spanned<DeValue<'d>>,
}

impl<'d> Value<'d> {
    /// An error about this value.
    pub fn error(&self, message: impl Into<String>) -> InputError {
        self.doc.error_at(self.value.span(), &self.key, message)
    }

    fn type_error(&self, expected: &str) -> InputError {
        self.error(format!(
            "expected {expected}, found {}",
            describe(self.value.get_ref())
        ))
    }

    /// The value's text as written.
    fn source(&self) -> &'d str {
        self.doc.source(&self.value.span())
    }

    /// For a bare array where a distribution is expected, the table it
    /// probably means: `[0.3, 0.4]` is `{ uniform = [0.3, 0.4] }`.
    fn range_hint(&self, kinds: &[&str]) -> Option<String> {
        let DeValue::Array(items) = self.value.get_ref() else {
            return None;
        };
        let kind = match items.len() {
            2 if kinds.contains(&"uniform") => "uniform",
            3 if kinds.contains(&"triangular") => "triangular",
            _ => return None,
        };
        Some(format!("write {{ {kind} = {} }}", self.source().trim()))
    }

    /// A string.
    pub fn str(&self) -> Result<&'d str, InputError> {
        match self.value.get_ref() {
            DeValue::String(s) => Ok(s.as_ref()),
            _ => Err(self.type_error("a string")),
        }
    }

    /// A finite number; integers are accepted.
    pub fn number(&self) -> Result<f64, InputError> {
        let x = match self.value.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
                .map(|i| i as f64)
                .map_err(|_| self.error("integer out of range"))?,
            DeValue::Float(f) => f
                .as_str()
                .parse::<f64>()
                .map_err(|_| self.error("not a number"))?,
            _ => return Err(self.type_error("a number")),
        };
        if x.is_finite() {
            Ok(x)
        } else {
            Err(self.error(format!("must be a finite number, got {x}")))
        }
    }

    /// A number strictly greater than zero.
    pub fn positive_number(&self) -> Result<f64, InputError> {
        let x = self.number()?;
        if x > 0.0 {
            Ok(x)
        } else {
            Err(self.error(format!("must be greater than 0, got {x}")))
        }
    }

    /// A number at least zero.
    pub fn non_negative_number(&self) -> Result<f64, InputError> {
        let x = self.number()?;
        if x >= 0.0 {
            Ok(x)
        } else {
            Err(self.error(format!("must be 0 or more, got {x}")))
        }
    }

    /// A whole number at least zero.
    pub fn whole(&self) -> Result<u64, InputError> {
        match self.value.get_ref() {
            DeValue::Integer(i) => {
                let v = i128::from_str_radix(i.as_str(), i.radix())
                    .map_err(|_| self.error("integer out of range"))?;
                if v < 0 {
                    Err(self.error(format!("a count cannot be negative, got {v}")))
                } else {
                    u64::try_from(v).map_err(|_| self.error("integer out of range"))
                }
            }
            DeValue::Float(f) => Err(self.error(format!(
                "expected a whole number, found the decimal {}",
                f.as_str()
            ))),
            _ => Err(self.type_error("a whole number")),
        }
    }

    /// A whole number in `range`, with a message saying what is allowed.
    pub fn whole_in(&self, range: std::ops::RangeInclusive<u64>) -> Result<u64, InputError> {
        let v = self.whole()?;
        if range.contains(&v) {
            Ok(v)
        } else {
            Err(self.error(format!(
                "must be between {} and {}, got {v}",
                range.start(),
                range.end()
            )))
        }
    }

    /// A table.
    pub fn table(&self, header: impl Into<String>) -> Result<Table<'d>, InputError> {
        match self.value.get_ref() {
            DeValue::Table(t) => Ok(Table {
                doc: self.doc,
                path: self.key.clone(),
                header: header.into(),
                table: t,
                span: self.value.span(),
            }),
            _ => Err(self.type_error("a table")),
        }
    }

    /// An array; its items are named `key[i]`.
    pub fn array(&self) -> Result<Vec<Value<'d>>, InputError> {
        match self.value.get_ref() {
            DeValue::Array(items) => Ok(items
                .iter()
                .enumerate()
                .map(|(i, value)| Value {
                    doc: self.doc,
                    key: format!("{}[{i}]", self.key),
                    value,
                })
                .collect()),
            _ => Err(self.type_error("an array")),
        }
    }

    /// An array of exactly `N` finite numbers.
    pub fn numbers<const N: usize>(&self, what: &str) -> Result<[f64; N], InputError> {
        let items = self.array().map_err(|_| self.type_error(what))?;
        if items.len() != N {
            let error = self.error(format!("expected {what}, found {} numbers", items.len()));
            // `[0,3, 0,4]` is four whole numbers to TOML.
            let text = self.source();
            let decimal_comma = text
                .as_bytes()
                .windows(3)
                .any(|w| w[0].is_ascii_digit() && w[1] == b',' && w[2].is_ascii_digit());
            return Err(if decimal_comma {
                error.with_hint(
                    "a comma separates values: write decimals with a point (0.3, not 0,3)",
                )
            } else {
                error
            });
        }
        let mut out = [0.0; N];
        for (slot, item) in out.iter_mut().zip(&items) {
            *slot = item.number().map_err(|e| InputError {
                key: Some(self.key.clone()),
                ..e
            })?;
        }
        Ok(out)
    }

    /// A probability in [0, 1].
    fn probability_value(&self) -> Result<f64, InputError> {
        let p = self.number()?;
        if (0.0..=1.0).contains(&p) {
            Ok(p)
        } else if p > 1.0 && p <= 100.0 {
            Err(self
                .error(format!("a probability must lie between 0 and 1, got {p}"))
                .with_hint(format!(
                    "probabilities are fractions: {p}% is {}",
                    quoted(p / 100.0)
                )))
        } else {
            Err(self.error(format!(
                "a probability must lie between 0 and 1 (write 35% as 0.35), got {p}"
            )))
        }
    }

    /// The single `{ kind = parameters }` entry of a distribution table.
    fn distribution_entry(&self, kinds: &[&str]) -> Result<(String, Value<'d>), InputError> {
        let allowed = format!(
            "a number or one of {}",
            kinds
                .iter()
                .map(|k| format!("{{ {k} = ... }}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let DeValue::Table(t) = self.value.get_ref() else {
            let error = self.type_error(&allowed);
            return Err(match self.range_hint(kinds) {
                Some(hint) => error.with_hint(hint),
                None => error,
            });
        };
        let mut entries = t.iter();
        let (Some((kind, value)), None) = (entries.next(), entries.next()) else {
            return Err(self.error(format!("expected exactly one entry: {allowed}")));
        };
        let kind = kind.get_ref().as_ref();
        if !kinds.contains(&kind) {
            return Err(self.doc.error_at(
                self.value.span(),
                &self.key,
                format!("unknown distribution `{kind}`; allowed: {allowed}"),
            ));
        }
        Ok((
            kind.to_string(),
            Value {
                doc: self.doc,
                key: self.key.clone(),
                value,
            },
        ))
    }

    /// A probability or a distribution over probabilities.
    pub fn probability(&self) -> Result<ProbDist, InputError> {
        let shape = self.probability_shape()?;
        ProbDist::new(shape).map_err(|e| self.error(e))
    }

    /// Whether the value is written as a table, or as an array where a
    /// table was surely meant: both go through [`Value::distribution_entry`],
    /// which says what to write instead of a bare array.
    fn distribution_like(&self) -> bool {
        matches!(self.value.get_ref(), DeValue::Table(_) | DeValue::Array(_))
    }

    fn probability_shape(&self) -> Result<ProbShape, InputError> {
        if !self.distribution_like() {
            return self.probability_value().map(ProbShape::Fixed);
        }
        let (kind, params) =
            self.distribution_entry(&["fixed", "uniform", "triangular", "beta"])?;
        let probabilities = |values: &[f64]| -> Result<(), InputError> {
            match values.iter().find(|p| !(0.0..=1.0).contains(*p)) {
                Some(p) => {
                    let error = self.error(format!(
                        "{kind}: a probability must lie between 0 and 1, got {p}"
                    ));
                    Err(if values.iter().all(|p| (0.0..=100.0).contains(p)) {
                        let fractions: Vec<String> =
                            values.iter().map(|p| quoted(p / 100.0)).collect();
                        error.with_hint(format!(
                            "probabilities are fractions: write {kind} = [{}]",
                            fractions.join(", ")
                        ))
                    } else {
                        error
                    })
                }
                None => Ok(()),
            }
        };
        match kind.as_str() {
            "fixed" => params.probability_value().map(ProbShape::Fixed),
            "uniform" => {
                let [lo, hi] = params.numbers::<2>("uniform = [low, high]")?;
                probabilities(&[lo, hi])?;
                if lo > hi {
                    return Err(self.error(format!(
                        "uniform = [low, high] needs low <= high, got [{lo}, {hi}]"
                    )));
                }
                Ok(ProbShape::Uniform { lo, hi })
            }
            "triangular" => {
                let [min, mode, max] = params.numbers::<3>("triangular = [min, mode, max]")?;
                probabilities(&[min, mode, max])?;
                if !(min <= mode && mode <= max) {
                    return Err(self.error(format!(
                        "triangular = [min, mode, max] needs min <= mode <= max, got [{min}, {mode}, {max}]"
                    )));
                }
                Ok(ProbShape::Triangular { min, mode, max })
            }
            _ => {
                let [alpha, beta] = params.numbers::<2>("beta = [alpha, beta]")?;
                if !(alpha > 0.0 && beta > 0.0) {
                    return Err(self.error(format!(
                        "beta = [alpha, beta] needs both parameters greater than 0, got [{alpha}, {beta}]"
                    )));
                }
                let (min, max) = (MIN_BETA_PARAMETER, MAX_BETA_PARAMETER);
                if !(min..=max).contains(&alpha) || !(min..=max).contains(&beta) {
                    return Err(self.error(format!(
                        "beta = [alpha, beta] needs both parameters from {min} to {max:e}, \
                         got [{}, {}] (below {min} nearly every draw is 0% or 100%; \
                         above {max:e} the rate is fixed at alpha / (alpha + beta): give that \
                         number instead)",
                        quoted(alpha),
                        quoted(beta)
                    )));
                }
                Ok(ProbShape::Beta { alpha, beta })
            }
        }
    }

    /// A positive quantity (a half-life, a capacity): a number greater than 0 or one of
    /// `{ fixed = x }`, `{ uniform = [a, b] }`, `{ triangular = [min, mode,
    /// max] }` over numbers greater than 0.
    pub fn positive(&self) -> Result<PositiveDist, InputError> {
        let shape = if self.distribution_like() {
            let (kind, params) = self.distribution_entry(&["fixed", "uniform", "triangular"])?;
            match kind.as_str() {
                "fixed" => ProbShape::Fixed(params.number()?),
                "uniform" => {
                    let [lo, hi] = params.numbers::<2>("uniform = [low, high]")?;
                    ProbShape::Uniform { lo, hi }
                }
                _ => {
                    let [min, mode, max] = params.numbers::<3>("triangular = [min, mode, max]")?;
                    ProbShape::Triangular { min, mode, max }
                }
            }
        } else {
            ProbShape::Fixed(self.number()?)
        };
        PositiveDist::new(shape).map_err(|e| self.error(e))
    }

    /// A duration in `rate_unit`s on a boundary of steps of `step_unit`: a
    /// number (decimals allowed) or a count distribution of whole units.
    pub fn step_duration(
        &self,
        rate_unit: TimeUnit,
        step_unit: TimeUnit,
    ) -> Result<StepDuration, InputError> {
        let value = match self.value.get_ref() {
            DeValue::Table(_) | DeValue::Array(_) => DurationValue::Count(self.count()?),
            _ => DurationValue::Fixed(self.non_negative_number()?),
        };
        StepDuration::new(value, rate_unit, step_unit).map_err(|e| self.error(e))
    }

    /// A count or a distribution over counts.
    pub fn count(&self) -> Result<CountDist, InputError> {
        let shape = self.count_shape()?;
        CountDist::new(shape).map_err(|e| self.error(e))
    }

    fn count_shape(&self) -> Result<CountShape, InputError> {
        if !self.distribution_like() {
            return self.whole().map(CountShape::Fixed);
        }
        let (kind, params) = self.distribution_entry(&["fixed", "poisson", "uniform"])?;
        match kind.as_str() {
            "fixed" => params.whole().map(CountShape::Fixed),
            "poisson" => {
                let mean = params.number()?;
                if !(0.0..=MAX_POISSON_MEAN).contains(&mean) {
                    return Err(self.error(format!(
                        "poisson = mean needs a mean between 0 and {MAX_POISSON_MEAN:e}, got {mean}"
                    )));
                }
                Ok(CountShape::Poisson(mean))
            }
            _ => {
                let items = params.array()?;
                if items.len() != 2 {
                    return Err(self.error(format!(
                        "expected uniform = [low, high] (whole numbers), found {} values",
                        items.len()
                    )));
                }
                let lo = items[0].whole()?;
                let hi = items[1].whole()?;
                if lo > hi {
                    return Err(self.error(format!(
                        "uniform = [low, high] needs low <= high, got [{lo}, {hi}]"
                    )));
                }
                Ok(CountShape::Uniform { lo, hi })
            }
        }
    }
}

/// How a value reads to a user, for type errors.
fn describe(v: &DeValue<'_>) -> String {
    match v {
        DeValue::String(s) => format!("the string \"{s}\""),
        DeValue::Integer(i) => format!("the integer {i}"),
        DeValue::Float(f) => format!("the number {f}"),
        DeValue::Boolean(b) => format!("the boolean {b}"),
        DeValue::Datetime(d) => format!("the date {d}"),
        DeValue::Array(_) => "an array".to_string(),
        DeValue::Table(_) => "a table".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspelt_keys_get_a_suggestion() {
        assert_eq!(closest("dud_rat", &["dud_rate", "id"]), Some("dud_rate"));
        assert_eq!(closest("zzz", &["dud_rate", "id"]), None);
    }

    #[test]
    fn lines_are_one_based() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 4), 3);
    }
}
