//! The posterior CSV file: `weight` then one column per parameter, one row
//! per particle. Numbers are written in Rust's shortest round-trip form, so
//! reading a written file gives back exactly the same bits.

use std::fmt;
use std::io::{self, Write};

use super::posterior::Posterior;
use super::prior::ParameterSpace;

/// A posterior CSV file that cannot be used, located by line (1-based; the
/// header is line 1) and column.
#[derive(Debug, Clone, PartialEq)]
pub struct PosteriorCsvError {
    /// 1-based line number.
    pub line: usize,
    /// The column's header name, when the problem is in one column.
    pub column: Option<String>,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl fmt::Display for PosteriorCsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(column) => write!(f, "line {}, column `{column}`: {}", self.line, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

impl std::error::Error for PosteriorCsvError {}

/// `x` in a form that parses back to the same `f64`: Rust's shortest
/// round-trip digits, in exponent form only for very large or small values.
fn format_number(x: f64) -> String {
    let magnitude = x.abs();
    if x == 0.0 || (1e-5..1e16).contains(&magnitude) {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
}

impl Posterior {
    /// Writes the sample as CSV: a header `weight,<name>,...`, then one row
    /// per particle.
    pub fn write_csv<W: Write>(&self, out: &mut W) -> io::Result<()> {
        let mut line = String::from("weight");
        for name in self.names() {
            line.push(',');
            line.push_str(name);
        }
        writeln!(out, "{line}")?;
        for (i, &w) in self.weights().iter().enumerate() {
            line.clear();
            line.push_str(&format_number(w));
            for &x in self.particle(i) {
                line.push(',');
                line.push_str(&format_number(x));
            }
            writeln!(out, "{line}")?;
        }
        Ok(())
    }

    /// Reads a posterior CSV file for the parameters of `space`. The header
    /// must be `weight` followed by every parameter of `space` once, in any
    /// order (values are returned in the space's order); weights must be
    /// finite and not negative with a positive sum; each value must lie in
    /// its parameter's support.
    pub fn from_csv(text: &str, space: &ParameterSpace) -> Result<Posterior, PosteriorCsvError> {
        let error = |line: usize, column: Option<&str>, message: String| PosteriorCsvError {
            line,
            column: column.map(str::to_string),
            message,
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let lines: Vec<&str> = text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .collect();
        // Blank lines are allowed at the end only.
        let used = lines.len()
            - lines
                .iter()
                .rev()
                .take_while(|l| l.trim().is_empty())
                .count();
        let expected_header = format!("weight,{}", space.names().join(","));
        if used == 0 {
            return Err(error(
                1,
                None,
                format!("the file is empty: expected the header `{expected_header}`"),
            ));
        }

        let header: Vec<&str> = lines[0].split(',').map(str::trim).collect();
        if header[0] != "weight" {
            return Err(error(
                1,
                None,
                format!(
                    "the first column must be `weight`, found `{}` (expected a header like `{expected_header}`)",
                    header[0]
                ),
            ));
        }
        let mut slots = Vec::with_capacity(header.len() - 1);
        for name in &header[1..] {
            let Some(slot) = space.index_of(name) else {
                return Err(error(
                    1,
                    Some(name),
                    format!(
                        "unknown parameter; the parameters are: {}",
                        space.names().join(", ")
                    ),
                ));
            };
            if slots.contains(&slot) {
                return Err(error(1, Some(name), "the column appears twice".into()));
            }
            slots.push(slot);
        }
        let missing: Vec<&str> = space
            .names()
            .iter()
            .enumerate()
            .filter(|(i, _)| !slots.contains(i))
            .map(|(_, n)| n.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(error(
                1,
                None,
                format!("missing column(s): {}", missing.join(", ")),
            ));
        }

        let d = space.len();
        let mut weights = Vec::new();
        let mut values = Vec::new();
        let mut row = vec![0.0; d];
        for (index, line) in lines[..used].iter().enumerate().skip(1) {
            let number = index + 1;
            let fields: Vec<&str> = line.split(',').map(str::trim).collect();
            if fields.len() != header.len() {
                return Err(error(
                    number,
                    None,
                    format!("expected {} fields, found {}", header.len(), fields.len()),
                ));
            }
            let parse = |field: &str, column: &str| {
                field
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .ok_or_else(|| {
                        error(
                            number,
                            Some(column),
                            format!("`{field}` is not a finite number"),
                        )
                    })
            };
            let weight = parse(fields[0], "weight")?;
            if weight < 0.0 {
                return Err(error(
                    number,
                    Some("weight"),
                    format!("weights must not be negative, got {weight}"),
                ));
            }
            for ((field, name), &slot) in fields[1..].iter().zip(&header[1..]).zip(&slots) {
                let x = parse(field, name)?;
                let support = space.priors()[slot].support();
                if !support.contains(x) {
                    return Err(error(
                        number,
                        Some(name),
                        format!("{x} is outside the prior's support: must be {support}"),
                    ));
                }
                row[slot] = x;
            }
            weights.push(weight);
            values.extend_from_slice(&row);
        }
        if weights.is_empty() {
            return Err(error(
                2,
                None,
                "no particles: expected one row per particle after the header".into(),
            ));
        }
        if weights.iter().sum::<f64>() <= 0.0 {
            return Err(error(
                used,
                Some("weight"),
                "all weights are 0: at least one particle needs a positive weight".into(),
            ));
        }
        Ok(Posterior::from_parts(
            space.names().to_vec(),
            values,
            weights,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calibrate::prior::Prior;
    use crate::calibrate::rng::particle_stream;
    use rand::{Rng, RngExt};

    fn space() -> ParameterSpace {
        ParameterSpace::new([
            ("p", Prior::uniform(0.0, 1.0).unwrap()),
            ("x", Prior::normal(0.0, 1.0).unwrap()),
            ("n", Prior::poisson(5.0).unwrap()),
        ])
        .unwrap()
    }

    #[test]
    fn a_written_file_reads_back_bit_for_bit() {
        let mut rng = particle_stream(1, 2, 3);
        let n = 500;
        let mut values = Vec::new();
        let mut weights = Vec::new();
        for i in 0..n {
            // Bit patterns of every magnitude, including subnormals.
            let x = loop {
                let x = f64::from_bits(rng.next_u64());
                if x.is_finite() {
                    break x;
                }
            };
            values.extend([rng.random::<f64>(), x, (i % 17) as f64]);
            weights.push(if i % 50 == 0 {
                0.0
            } else {
                rng.random::<f64>().powi(8)
            });
        }
        values[3] = 1.0; // an end of p's support
        values[4] = -0.0;
        let posterior = Posterior::from_parts(
            vec!["p".into(), "x".into(), "n".into()],
            values.clone(),
            weights.clone(),
        );
        let mut bytes = Vec::new();
        posterior.write_csv(&mut bytes).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with("weight,p,x,n\n"));
        let back = Posterior::from_csv(&text, &space()).unwrap();
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(back.weights()), bits(&weights));
        let read: Vec<f64> = (0..n).flat_map(|i| back.particle(i).to_vec()).collect();
        assert_eq!(bits(&read), bits(&values));
    }

    #[test]
    fn columns_may_come_in_any_order_and_crlf_and_trailing_blank_lines_are_fine() {
        let text = "weight,n,p,x\r\n0.5,3,0.25,-1\r\n0.5,4,0.75,2\r\n\r\n";
        let back = Posterior::from_csv(text, &space()).unwrap();
        assert_eq!(back.particle(0), &[0.25, -1.0, 3.0]);
        assert_eq!(back.particle(1), &[0.75, 2.0, 4.0]);
    }

    #[test]
    fn bad_files_name_the_line_and_column() {
        let cases = [
            ("", "line 1: the file is empty"),
            ("w,p,x,n\n", "line 1: the first column must be `weight`"),
            (
                "weight,p,x,q\n1,0,0,0\n",
                "line 1, column `q`: unknown parameter",
            ),
            (
                "weight,p,x,p\n",
                "line 1, column `p`: the column appears twice",
            ),
            ("weight,p,x\n", "line 1: missing column(s): n"),
            ("weight,p,x,n\n", "line 2: no particles"),
            (
                "weight,p,x,n\n1,0.5,0,1\n1,0.5,0\n",
                "line 3: expected 4 fields, found 3",
            ),
            (
                "weight,p,x,n\n-1,0.5,0,1\n",
                "line 2, column `weight`: weights must not be negative",
            ),
            (
                "weight,p,x,n\nNaN,0.5,0,1\n",
                "line 2, column `weight`: `NaN` is not a finite number",
            ),
            (
                "weight,p,x,n\n1,0.5,inf,1\n",
                "line 2, column `x`: `inf` is not a finite number",
            ),
            (
                "weight,p,x,n\n1,0.5,abc,1\n",
                "line 2, column `x`: `abc` is not a finite number",
            ),
            (
                "weight,p,x,n\n1,1.5,0,1\n",
                "line 2, column `p`: 1.5 is outside the prior's support: must be a number from 0 to 1",
            ),
            (
                "weight,p,x,n\n1,0.5,0,1.5\n",
                "line 2, column `n`: 1.5 is outside the prior's support: must be a whole number from 0 up",
            ),
            (
                "weight,p,x,n\n0,0.5,0,1\n0,0.5,0,1\n",
                "line 3, column `weight`: all weights are 0",
            ),
            (
                "weight,p,x,n\n1,0.5,0,1\n\n1,0.5,0,1\n",
                "line 3: expected 4 fields, found 1",
            ),
        ];
        for (text, expected) in cases {
            let message = Posterior::from_csv(text, &space()).unwrap_err().to_string();
            assert!(message.starts_with(expected), "{text:?}: {message}");
        }
    }
}
