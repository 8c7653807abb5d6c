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

/// A ratio of one figure to another, in words a reader takes in at once:
/// `21× more`, `3.5× fewer`, `about the same` (within 5% either way); `-`
/// when it is not a number. Fewer is written as the inverse ratio, since
/// "0.048×" reads as nothing.
pub fn ratio(r: f64) -> String {
    if !r.is_finite() || r < 0.0 {
        "-".to_string()
    } else if r == 0.0 {
        "none".to_string()
    } else if (1.0 / 1.05..=1.05).contains(&r) {
        "about the same".to_string()
    } else if r > 1.0 {
        format!("{}\u{d7} more", two_significant(r))
    } else {
        format!("{}\u{d7} fewer", two_significant(1.0 / r))
    }
}

/// How many times larger one figure is than another, for a sentence:
/// `21 times`, `3.5 times`, `1.2 times`; `None` within 5% of each other
/// or when it is not a number (say "about as many" instead).
pub fn times(r: f64) -> Option<String> {
    (r.is_finite() && r > 1.05).then(|| format!("{} times", two_significant(r)))
}

/// A figure for a sentence, "about" so many: two significant digits from
/// 100, in millions from a million, whole numbers from 1 (people and duds
/// come whole), one significant digit below: `25,000`, `1,200`, `210`,
/// `60`, `10`, `0.4`, `78 million`, `1.4 million`.
pub fn about(x: f64) -> String {
    if !x.is_finite() {
        return "-".to_string();
    }
    if x == 0.0 {
        return "0".to_string();
    }
    if x.abs() < 1.0 {
        let step = 10f64.powi(x.abs().log10().floor() as i32);
        return trimmed((x / step).round() * step, 6);
    }
    if x.abs() < 99.5 {
        return thousands(x.round());
    }
    let step = 10f64.powi(x.abs().log10().floor() as i32 - 1);
    let rounded = (x / step).round() * step;
    if rounded.abs() >= 999_500.0 {
        return format!("{} million", trimmed(rounded / 1e6, 1));
    }
    if rounded.abs() >= 100.0 {
        thousands(rounded)
    } else {
        two_significant(rounded)
    }
}

/// The step a figure known to within `uncertainty` is rounded to: the
/// power of ten at or below the uncertainty (a standard error, or how far
/// a quantile may be off), so that the last digit shown is the first one
/// in doubt. 0 (no rounding) for an exact figure.
pub fn precision_step(uncertainty: f64) -> f64 {
    if uncertainty.is_finite() && uncertainty > 0.0 {
        10f64.powi(uncertainty.log10().floor() as i32)
    } else {
        0.0
    }
}

/// `x` rounded to [`precision_step`]`(uncertainty)`.
pub fn round_to_precision(x: f64, uncertainty: f64) -> f64 {
    let step = precision_step(uncertainty);
    if step > 0.0 && x.is_finite() {
        (x / step).round() * step
    } else {
        x
    }
}

/// A count known to within `uncertainty`, rounded to what that supports
/// and written as [`count`] writes it: `25,184` known to ±19 is `25,180`,
/// known to ±110 is `25,200`, `9.97` known to ±0.1 is `10.0`; never more
/// digits than `count` shows, and none after the point for a whole number
/// (a percentile of a count is one: `22`, not `22.0`).
pub fn rounded(x: f64, uncertainty: f64) -> String {
    let step = precision_step(uncertainty);
    let r = round_to_precision(x, uncertainty);
    if step > 0.0 && step < 1.0 && r.abs() < 100.0 && r.is_finite() && x.fract() != 0.0 {
        // The decimal is known: keep it even when it is a zero.
        format!("{r:.1}")
    } else {
        count(r)
    }
}

/// As [`rounded`], in millions from a million, the zeros that are known
/// kept: `78,381,056` known to ±60,000 is `78.4 million`, `3,002,173`
/// known to ±20,000 is `3.00 million`; at most [`compact`]'s digits.
pub fn rounded_compact(x: f64, uncertainty: f64) -> String {
    let r = round_to_precision(x, uncertainty);
    if !r.is_finite() || r.abs() < 999_500.0 {
        return rounded(x, uncertainty);
    }
    let millions = r / 1e6;
    let most = if millions.abs() >= 99.95 {
        0
    } else if millions.abs() >= 9.995 {
        1
    } else {
        2
    };
    let step = precision_step(uncertainty);
    if step == 0.0 {
        return compact(r);
    }
    let known = (6.0 - step.log10()).round().max(0.0) as usize;
    let text = format!("{millions:.*}", known.min(most));
    format!("{} million", group_thousands(&text))
}

/// A range of figures, the unit written once: `12,128 to 31,936`,
/// `70.6 to 86.3 million`, `700,000 to 1.42 million`.
pub fn range(low: &str, high: &str) -> String {
    match (low.strip_suffix(" million"), high.ends_with(" million")) {
        (Some(low), true) => format!("{low} to {high}"),
        _ => format!("{low} to {high}"),
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
    fn ratios_read_as_more_or_fewer() {
        assert_eq!(ratio(1.0), "about the same");
        assert_eq!(ratio(1.04), "about the same");
        assert_eq!(ratio(0.96), "about the same");
        assert_eq!(ratio(0.0479), "21\u{d7} fewer");
        assert_eq!(ratio(0.29), "3.4\u{d7} fewer");
        assert_eq!(ratio(15.2), "15\u{d7} more");
        assert_eq!(ratio(1.2), "1.2\u{d7} more");
        assert_eq!(ratio(0.0), "none");
        assert_eq!(ratio(f64::NAN), "-");
        assert_eq!(ratio(f64::INFINITY), "-");
        assert_eq!(times(20.87).as_deref(), Some("21 times"));
        assert_eq!(times(3.48).as_deref(), Some("3.5 times"));
        assert_eq!(times(1.03), None);
        assert_eq!(times(f64::NAN), None);
    }

    #[test]
    fn sentences_round_to_two_significant_digits() {
        assert_eq!(about(25_184.0), "25,000");
        assert_eq!(about(1_207.0), "1,200");
        assert_eq!(about(7_186.0), "7,200");
        assert_eq!(about(209.4), "210");
        assert_eq!(about(99.6), "100");
        assert_eq!(about(59.6), "60");
        assert_eq!(about(9.94), "10");
        assert_eq!(about(1.4), "1");
        assert_eq!(about(0.427), "0.4");
        assert_eq!(about(0.0031), "0.003");
        assert_eq!(about(0.0), "0");
        assert_eq!(about(78_381_056.0), "78 million");
        assert_eq!(about(1_350_144.0), "1.4 million");
        assert_eq!(about(999_700.0), "1 million");
        assert_eq!(about(f64::NAN), "-");
    }

    #[test]
    fn figures_keep_the_digits_their_uncertainty_supports() {
        assert_eq!(precision_step(19.5), 10.0);
        assert_eq!(precision_step(110.0), 100.0);
        assert_eq!(precision_step(100.0), 100.0);
        assert_eq!(precision_step(0.06), 0.01);
        assert_eq!(precision_step(0.0), 0.0);
        assert_eq!(precision_step(f64::NAN), 0.0);
        assert_eq!(rounded(25_184.0, 19.5), "25,180");
        assert_eq!(rounded(25_184.0, 110.0), "25,200");
        assert_eq!(rounded(21_960.0, 41.0), "21,960");
        // Exact figures are written whole.
        assert_eq!(rounded(72_000.0, 0.0), "72,000");
        // Never more digits than a count shows.
        assert_eq!(rounded(9.9137, 0.06), "9.9");
        assert_eq!(rounded(9.97, 0.11), "10.0");
        assert_eq!(rounded(9.97, 1.1), "10");
        assert_eq!(rounded(209.4, 1.2), "209");
        // A whole number stays whole: a percentile of casualties.
        assert_eq!(rounded(22.0, 0.6), "22");
        assert_eq!(rounded(0.0, 0.3), "0");
        // The validation's medians: false precision gone.
        assert_eq!(rounded_compact(78_381_056.0, 62_000.0), "78.4 million");
        assert_eq!(rounded_compact(78_381_056.0, 620_000.0), "78.4 million");
        assert_eq!(rounded_compact(78_381_056.0, 6_200_000.0), "78 million");
        assert_eq!(rounded_compact(22_112.0, 900.0), "22,100");
        assert_eq!(rounded_compact(1_350_144.0, 3_000.0), "1.35 million");
        assert_eq!(rounded_compact(1_350_144.0, 300_000.0), "1.4 million");
        assert_eq!(rounded_compact(3_002_173.0, 20_000.0), "3.00 million");
        assert_eq!(rounded_compact(19_998_700.0, 150_000.0), "20.0 million");
        assert_eq!(rounded_compact(284_367_066.0, 200_000.0), "284 million");
        assert_eq!(rounded_compact(2_996_474.0, 0.0), "3 million");
        assert_eq!(range("12,128", "31,936"), "12,128 to 31,936");
        assert_eq!(
            range("70.6 million", "86.3 million"),
            "70.6 to 86.3 million"
        );
        assert_eq!(range("700,000", "1.42 million"), "700,000 to 1.42 million");
    }
}
