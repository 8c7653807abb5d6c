//! Numbers as people read them: thousands separators, percentages, a few
//! significant digits, "1.35 million". Every table, message, chart and
//! page formats its numbers here, so that one figure reads the same
//! wherever it appears.
//!
//! A leaf module: it depends on nothing else in the crate, so that every
//! layer may use it.

/// `x` with `decimals` decimals, trailing zeros and a bare decimal point
/// dropped: `trimmed(2.50, 2)` is `2.5`, `trimmed(3.0, 2)` is `3`.
pub fn trimmed(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A whole number with thousands separators: `1,234,567`, `-2,500`
/// (rounded to the nearest whole number).
pub fn thousands(x: f64) -> String {
    let rounded = x.round() as i128;
    let digits = rounded.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if rounded < 0 {
        out.insert(0, '-');
    }
    out
}

/// A count for people, as tables and messages print it: thousands
/// separators, one decimal below 100 (`72,000`, `3.2`, `12`); `-` when it
/// is not a number.
pub fn count(x: f64) -> String {
    if !x.is_finite() {
        return "-".to_string();
    }
    if x.abs() < 100.0 && x.fract().abs() > 1e-9 {
        return format!("{x:.1}");
    }
    thousands(x)
}

/// A mean count with its 90% interval, e.g. `25,200 [21,900-28,500]`; just
/// the mean when there is no interval (the value did not vary).
pub fn count_and_interval(mean: f64, interval: Option<(f64, f64)>) -> String {
    match interval {
        None => count(mean),
        Some((lo, hi)) => format!("{} [{}-{}]", count(mean), count(lo), count(hi)),
    }
}

/// A count as charts print it on axes and in captions: thousands
/// separators, and at most two decimals (trailing zeros dropped) below 10:
/// `25,184`, `12`, `2.5`, `0.25`; `-` when it is not a number.
pub fn number(x: f64) -> String {
    if !x.is_finite() {
        return "-".to_string();
    }
    if x.abs() >= 10.0 || (x - x.round()).abs() < 1e-9 {
        return thousands(x.round());
    }
    trimmed(x, 2)
}

/// A count in words, for a log axis or a note: `950`, `12,400`,
/// `1.35 million`, `80 million`.
pub fn compact(x: f64) -> String {
    if !x.is_finite() {
        return "-".to_string();
    }
    if x.abs() >= 999_500.0 {
        let millions = x / 1e6;
        let digits = if millions.abs() >= 99.95 {
            0
        } else if millions.abs() >= 9.995 {
            1
        } else {
            2
        };
        return format!("{} million", group_thousands(&trimmed(millions, digits)));
    }
    number(x)
}

/// Thousands separators in the integer part of a formatted number.
fn group_thousands(s: &str) -> String {
    let (int, frac) = s.split_once('.').map_or((s, ""), |(a, b)| (a, b));
    match int.parse::<f64>() {
        Ok(v) if frac.is_empty() => thousands(v),
        Ok(v) => format!("{}.{frac}", thousands(v.trunc())),
        Err(_) => s.to_string(),
    }
}

/// `x` to `digits` significant digits below `10^(digits - 1)`, with at
/// most `max_decimals` decimals; a [`number`] from there up, and for 0.
fn significant(x: f64, digits: i32, max_decimals: i32) -> String {
    if x >= 10f64.powi(digits - 1) || x == 0.0 {
        return number(x);
    }
    let decimals = (digits - 1 - x.abs().log10().floor() as i32).clamp(0, max_decimals);
    trimmed(x, decimals as usize)
}

/// Two significant digits below 10 (at most six decimals), whole numbers
/// with separators from 10: `0.097`, `4.4`, `146`. For ratios and
/// densities.
pub fn two_significant(x: f64) -> String {
    significant(x, 2, 6)
}

/// Three significant digits below 100 (at most four decimals), whole
/// numbers with separators from 100: `0.0825`, `2.45`, `12.3`, `1,250`.
/// For areas in km² and lengths in km.
pub fn three_significant(x: f64) -> String {
    significant(x, 3, 4)
}

/// A fitted or assumed parameter, whatever its scale, to three
/// significant digits: in scientific notation below 0.001 (`1.68e-5`),
/// plain below 100 (`0.0132`, `2.45`, `12.3`), whole numbers with
/// separators from 100 (`3,010,000`); `-` when it is not a number.
pub fn parameter(x: f64) -> String {
    if !x.is_finite() {
        return "-".to_string();
    }
    let magnitude = x.abs();
    if magnitude == 0.0 {
        "0".to_string()
    } else if magnitude < 1e-3 {
        format!("{x:.2e}")
    } else if magnitude < 100.0 {
        let decimals = (2 - magnitude.log10().floor() as i32).max(0) as usize;
        trimmed(x, decimals)
    } else {
        let scale = 10f64.powi(magnitude.log10().floor() as i32 - 2);
        thousands((x / scale).round() * scale)
    }
}

/// A probability as a percentage with as many digits as it needs (none,
/// two or four decimals): `30%`, `2.35%`, `0.004%`. For dud rates and the
/// like, which are written as given.
pub fn percent(p: f64) -> String {
    let pct = p * 100.0;
    let s = if pct == pct.round() {
        format!("{pct:.0}")
    } else if (pct * 100.0 - (pct * 100.0).round()).abs() < 1e-9 {
        trimmed(pct, 2)
    } else {
        trimmed(pct, 4)
    };
    format!("{s}%")
}

/// A share as a chart's axis or caption prints it, a [`number`] of
/// percent: `0%`, `2.35%`, `40%`, `13%` (whole from 10%).
pub fn short_percent(fraction: f64) -> String {
    format!("{}%", number(fraction * 100.0))
}

/// A share in percent with one decimal and a true minus sign, without
/// the `%`: `89.6`, `−1.2`, and `0.0` for a share that rounds to zero
/// from below.
pub fn signed_percent(share: f64) -> String {
    let s = format!("{:.1}", 100.0 * share);
    match s.strip_prefix('-') {
        Some("0.0") => "0.0".to_string(),
        Some(rest) => format!("\u{2212}{rest}"),
        None => s,
    }
}

/// A ratio to two significant figures, e.g. `1.0x`, `0.066x`, `15x`; `-`
/// when it is not a number.
pub fn ratio(r: f64) -> String {
    if !r.is_finite() {
        "-".to_string()
    } else if r >= 10.0 {
        format!("{r:.0}x")
    } else if r >= 1.0 {
        format!("{r:.1}x")
    } else {
        let digits = (1 - r.log10().floor() as i32).max(1) as usize;
        format!("{r:.digits$}x")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trimming_drops_zeros_after_the_point_only() {
        assert_eq!(trimmed(2.5, 2), "2.5");
        assert_eq!(trimmed(3.0, 2), "3");
        assert_eq!(trimmed(100.0, 0), "100");
        assert_eq!(trimmed(0.0, 3), "0");
        assert_eq!(trimmed(-1.2, 2), "-1.2");
    }

    #[test]
    fn parameters_keep_three_significant_digits_at_any_scale() {
        assert_eq!(parameter(0.0000168), "1.68e-5");
        assert_eq!(parameter(0.0132), "0.0132");
        assert_eq!(parameter(0.001), "0.001");
        assert_eq!(parameter(2.454), "2.45");
        assert_eq!(parameter(12.34), "12.3");
        assert_eq!(parameter(3_012_345.0), "3,010,000");
        assert_eq!(parameter(256.0), "256");
        assert_eq!(parameter(0.0), "0");
        assert_eq!(parameter(f64::NAN), "-");
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0.0), "0");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(thousands(1000.0), "1,000");
        assert_eq!(thousands(1_234_567.4), "1,234,567");
        assert_eq!(thousands(-2500.0), "-2,500");
        assert_eq!(thousands(999.5), "1,000");
    }

    #[test]
    fn counts_read_well() {
        assert_eq!(count(72000.0), "72,000");
        assert_eq!(count(1234567.4), "1,234,567");
        assert_eq!(count(3.25), "3.2");
        assert_eq!(count(12.0), "12");
        assert_eq!(count(999.0), "999");
        assert_eq!(count(f64::NAN), "-");
        assert_eq!(count_and_interval(25_184.0, None), "25,184");
        assert_eq!(
            count_and_interval(25_184.0, Some((21_900.0, 28_500.2))),
            "25,184 [21,900-28,500]"
        );
        assert_eq!(count_and_interval(2.5, Some((0.0, 6.0))), "2.5 [0-6]");
    }

    #[test]
    fn chart_numbers_read_well() {
        assert_eq!(number(25184.0), "25,184");
        assert_eq!(number(1_234_567.4), "1,234,567");
        assert_eq!(number(2.5), "2.5");
        assert_eq!(number(0.25), "0.25");
        assert_eq!(number(0.125), "0.12");
        assert_eq!(number(12.4), "12");
        assert_eq!(number(0.0), "0");
        assert_eq!(number(f64::INFINITY), "-");
        assert_eq!(short_percent(0.0235), "2.35%");
        assert_eq!(short_percent(0.4), "40%");
        assert_eq!(short_percent(0.125), "13%");
        assert_eq!(compact(950.0), "950");
        assert_eq!(compact(12_400.0), "12,400");
        assert_eq!(compact(1.35e6), "1.35 million");
        assert_eq!(compact(1e6), "1 million");
        assert_eq!(compact(80e6), "80 million");
        assert_eq!(compact(76.54e6), "76.5 million");
        assert_eq!(compact(1.2e9), "1,200 million");
    }

    #[test]
    fn significant_digits_read_well() {
        assert_eq!(two_significant(146.3), "146");
        assert_eq!(two_significant(4.37), "4.4");
        assert_eq!(two_significant(1.35), "1.4");
        assert_eq!(two_significant(0.0967), "0.097");
        assert_eq!(two_significant(0.1), "0.1");
        assert_eq!(two_significant(0.001), "0.001");
        assert_eq!(two_significant(0.0), "0");
        assert_eq!(two_significant(1.234e-9), "0");
        assert_eq!(three_significant(1234.0), "1,234");
        assert_eq!(three_significant(12.34), "12.3");
        assert_eq!(three_significant(2.0), "2");
        assert_eq!(three_significant(0.08254), "0.0825");
        assert_eq!(three_significant(0.0), "0");
        assert_eq!(three_significant(1e-6), "0");
    }

    #[test]
    fn percentages_read_well() {
        assert_eq!(percent(0.3), "30%");
        assert_eq!(percent(0.0235), "2.35%");
        assert_eq!(percent(0.0005), "0.05%");
        assert_eq!(percent(0.000_04), "0.004%");
        assert_eq!(percent(0.123_456), "12.3456%");
        assert_eq!(signed_percent(0.896), "89.6");
        assert_eq!(signed_percent(-0.012), "\u{2212}1.2");
        assert_eq!(signed_percent(-0.0001), "0.0");
        assert_eq!(signed_percent(0.0), "0.0");
    }

    #[test]
    fn ratios_keep_two_significant_figures() {
        assert_eq!(ratio(1.0), "1.0x");
        assert_eq!(ratio(0.0657), "0.066x");
        assert_eq!(ratio(0.29), "0.29x");
        assert_eq!(ratio(15.2), "15x");
        assert_eq!(ratio(f64::NAN), "-");
    }
}
