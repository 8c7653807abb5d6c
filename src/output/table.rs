//! The summary table printed on stdout after a run.

use crate::analysis::calibration::Calibrated;
use crate::analysis::sensitivity::{Analysis, Output};
use crate::analysis::sweep::Sweep;
use crate::analysis::validate::Validation;
use crate::engine::RunSettings;
use crate::format::{
    self, compact, count, percent, range, ratio, round_to_precision, rounded_compact,
};
use crate::scenario::ScenarioFile;
use crate::scenario::catalog::{self, CatalogEntry};
use crate::stats::{RunSummary, ScenarioSummary, Summary};

/// Mean with its 90% interval, e.g. `25,180 [21,960-28,420]`, each
/// rounded to what its precision supports (the standard error of the mean, and of each percentile, chooses the digits; see [`crate::format::rounded`]); just
/// the value when it does not vary.
pub fn mean_and_interval(s: &Summary) -> String {
    match rounded_texts(s) {
        (mean, None) => mean,
        (mean, Some((p05, p95))) => format!("{mean} [{p05}-{p95}]"),
    }
}

/// The figures of [`rounded_figures`] as text (see [`format::rounded`]):
/// `10.0` for a mean of 9.97 known to ±0.1.
pub fn rounded_texts(s: &Summary) -> (String, Option<(String, String)>) {
    let mean = format::rounded(s.mean, s.se);
    let interval = (s.min != s.max).then(|| {
        (
            format::rounded(s.p05, s.quantile_uncertainty(0.05, s.p05)),
            format::rounded(s.p95, s.quantile_uncertainty(0.95, s.p95)),
        )
    });
    (mean, interval)
}

/// The mean and, when the quantity varies, its 90% interval (5th and 95th
/// percentiles), each rounded to the power of ten at or below its
/// uncertainty: the mean's standard error, the percentiles' (see
/// [`Summary::quantile_uncertainty`]). Every table and page shows these.
pub fn rounded_figures(s: &Summary) -> (f64, Option<(f64, f64)>) {
    let mean = round_to_precision(s.mean, s.se);
    let interval = (s.min != s.max).then(|| {
        (
            round_to_precision(s.p05, s.quantile_uncertainty(0.05, s.p05)),
            round_to_precision(s.p95, s.quantile_uncertainty(0.95, s.p95)),
        )
    });
    (mean, interval)
}

/// An area in km² with its 90% interval, to two decimals.
fn square_km(s: &Summary) -> String {
    format!("{:.2} [{:.2}-{:.2}]", s.mean, s.p05, s.p95)
}

/// Live UXO and casualties at the horizon, for a table row.
fn horizon_cells(s: &ScenarioSummary) -> [String; 2] {
    match s.timeline.last() {
        Some(last) => [
            mean_and_interval(&last.live),
            mean_and_interval(&last.casualties),
        ],
        None => ["no aftermath".to_string(), "-".to_string()],
    }
}

/// The table: one row per scenario.
pub fn render(summary: &RunSummary) -> String {
    let unit = &summary.step_unit;
    let horizon = summary.horizon();
    let mut header = vec![
        "Scenario".to_string(),
        "Fired".to_string(),
        "Unexploded (UXO)".to_string(),
    ];
    if horizon > 0 {
        header.push(format!("Live UXO at {unit} {horizon}"));
        header.push(format!("Casualties by {unit} {horizon}"));
    }
    let averted = summary
        .scenarios
        .iter()
        .any(|s| s.casualties_averted.is_some());
    if averted {
        header.push("Casualties averted".to_string());
    }
    let spatial = summary
        .scenarios
        .iter()
        .any(|s| s.contaminated_area_m2.is_some());
    if spatial {
        header.push("Contaminated km2".to_string());
    }
    header.push("UXO vs first".to_string());

    let first_mean = summary
        .scenarios
        .first()
        .map_or(f64::NAN, |s| s.unexploded.mean);
    let rows: Vec<Vec<String>> = summary
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut row = vec![
                s.name.clone(),
                mean_and_interval(&s.submunitions),
                mean_and_interval(&s.unexploded),
            ];
            if horizon > 0 {
                row.extend(horizon_cells(s));
            }
            if averted {
                row.push(
                    s.casualties_averted
                        .as_ref()
                        .map_or("-".to_string(), mean_and_interval),
                );
            }
            if spatial {
                row.push(match &s.contaminated_area_m2 {
                    Some(a) => square_km(&a.scaled(1e-6)),
                    None => "-".to_string(),
                });
            }
            row.push(if i == 0 {
                "reference".to_string()
            } else {
                ratio(s.unexploded.mean / first_mean).replace('\u{d7}', "x")
            });
            row
        })
        .collect();

    let mut out = String::new();
    out.push_str(&summary.title);
    out.push('\n');
    out.push_str(&format!(
        "{} replicates, seed {}. Means, with 90% intervals (5th-95th percentile) in brackets.\n\n",
        count(summary.replicates as f64),
        summary.seed
    ));
    out.push_str(&grid(&header, &rows));
    out
}

/// Columns aligned under a header: the first left-aligned, the others
/// right-aligned, with a rule under the header.
fn grid(header: &[String], rows: &[Vec<String>]) -> String {
    let columns = header.len();
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .map(|r| r[c].chars().count())
                .chain([header[c].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| -> String {
        let mut out = String::new();
        for (c, cell) in cells.iter().enumerate() {
            let pad = widths[c] - cell.chars().count();
            if c == 0 {
                out.push_str(cell);
                out.push_str(&" ".repeat(pad));
            } else {
                out.push_str("  ");
                out.push_str(&" ".repeat(pad));
                out.push_str(cell);
            }
        }
        out.trim_end().to_string()
    };
    let mut out = line(header);
    out.push('\n');
    out.push_str(&"-".repeat(widths.iter().sum::<usize>() + 2 * (columns - 1)));
    out.push('\n');
    for row in rows {
        out.push_str(&line(row));
        out.push('\n');
    }
    out
}

/// A median with its 90% interval, for any scale: `1.68e-5 [9.4e-6 to 4.6e-5]`.
fn median_and_interval(median: f64, q05: f64, q95: f64) -> String {
    use crate::format::parameter;
    format!(
        "{} [{} to {}]",
        parameter(median),
        parameter(q05),
        parameter(q95)
    )
}

/// The tables `dudsim calibrate` prints: each input's prior and posterior,
/// each record against what the fitted scenario simulates for it, and how
/// the fit went.
pub fn calibration(c: &Calibrated) -> String {
    let n = c.observations.len();
    let held = c.options.hold_out;
    let mut out = format!(
        "{}\nScenario \"{}\" fitted to {} of the {n} count(s) of {}; {} particles, seed {}.\n\
         Medians, with 90% intervals (5th-95th percentile) in brackets; \"90% width\" is the \
         posterior interval's width over the prior's.\n\n",
        c.file.title,
        c.scenario,
        n - held,
        c.records.source_name(),
        count(c.options.particles as f64),
        c.options.seed
    );
    let header: Vec<String> = ["Input", "Prior", "Posterior", "90% width"]
        .map(String::from)
        .to_vec();
    let rows: Vec<Vec<String>> = c
        .parameters
        .iter()
        .map(|p| {
            vec![
                p.name.clone(),
                median_and_interval(p.prior.median, p.prior.q05, p.prior.q95),
                median_and_interval(p.posterior.median, p.posterior.q05, p.posterior.q95),
                format!("{:.0}%", 100.0 * p.narrowing()),
            ]
        })
        .collect();
    out.push_str(&grid(&header, &rows));

    out.push_str("\nThe records against the fitted scenario (posterior predictive):\n");
    let header: Vec<String> = ["Observation", "Count", "Simulated", "In 90%"]
        .map(String::from)
        .to_vec();
    let rows: Vec<Vec<String>> = c
        .observations
        .iter()
        .map(|o| {
            let b = o.band;
            let label = if o.held_out {
                format!("{} (held out)", o.record.label())
            } else {
                o.record.label().to_string()
            };
            vec![
                label,
                count(o.record.count() as f64),
                median_and_interval(b.median, b.q05, b.q95),
                if o.in_90() { "yes" } else { "no" }.to_string(),
            ]
        })
        .collect();
    out.push_str(&grid(&header, &rows));
    if held > 0 {
        let (inside, total) = c.hold_out_coverage();
        out.push_str(&format!(
            "Held out: {inside} of {total} count(s) inside their 90% predictive interval.\n"
        ));
    }
    let generations = c.generations.len();
    out.push_str(&format!(
        "\n{generations} generations and {} model runs for the fit ({}), {} for the \
         predictive check; the simulations kept came within {:.2} scale units per observation \
         (root-mean-square) of the counts fitted.\n",
        count(c.fit_simulations as f64),
        c.stop,
        count(c.predictive_simulations as f64),
        c.tolerance_per_observation
    ));
    out
}

/// The table of a dud-rate sweep: one block per scenario, one row per rate.
pub fn sweep(sweep: &Sweep) -> String {
    let unit = &sweep.step_unit;
    let horizon = sweep.horizon();
    let what = if sweep.parameter == "dud_rate" {
        "Dud-rate sweep: every munition's dud rate".to_string()
    } else {
        format!("Sweep of {}", sweep.parameter)
    };
    let mut out = format!(
        "{}\n{what} fixed at each value in turn. \
         {} replicates per value, seed {}.\nMeans, with 90% intervals (5th-95th percentile) in brackets.\n",
        sweep.title,
        count(sweep.replicates as f64),
        sweep.seed
    );
    let column = if sweep.parameter == "dud_rate" {
        "Dud rate".to_string()
    } else {
        // The field name, without the scenario or munition it belongs to.
        let field = sweep
            .parameter
            .rsplit('.')
            .next()
            .unwrap_or(&sweep.parameter);
        field.replace('_', " ")
    };
    let value = |v: f64| {
        if sweep.dud_rates {
            percent(v)
        } else {
            crate::scenario::quoted(v)
        }
    };
    for (i, name) in sweep.scenarios.iter().enumerate() {
        let mut header = vec![column.clone(), "Unexploded (UXO)".to_string()];
        if horizon > 0 {
            header.push(format!("Live UXO at {unit} {horizon}"));
            header.push(format!("Casualties by {unit} {horizon}"));
        }
        let rows: Vec<Vec<String>> = sweep
            .points
            .iter()
            .filter_map(|p| {
                let s = p.scenarios.get(i)?;
                let mut row = vec![value(p.value), mean_and_interval(&s.unexploded)];
                if horizon > 0 {
                    row.extend(match &s.horizon {
                        Some(h) => [mean_and_interval(&h.live), mean_and_interval(&h.casualties)],
                        None => ["no aftermath".to_string(), "-".to_string()],
                    });
                }
                Some(row)
            })
            .collect();
        out.push_str(&format!("\n{name}\n"));
        out.push_str(&grid(&header, &rows));
    }
    out
}

/// The table printed by `dudsim sensitivity`.
pub fn sensitivity(analysis: &Analysis, file: &ScenarioFile) -> String {
    let mut out = format!(
        "{}\nFirst-order sensitivity indices: the share of each output's variance that \
         knowing one input alone would remove.\n{} pick-freeze samples per scenario, seed {}; \
         95% confidence intervals in brackets.\n",
        file.title,
        count(analysis.samples as f64),
        analysis.seed
    );
    for scenario in &file.scenarios {
        out.push_str(&format!("\n{}\n", scenario.name));
        if analysis.certain.contains(&scenario.name) {
            out.push_str("  no uncertain inputs: every input is a fixed number\n");
            continue;
        }
        let constant = analysis.constant_outputs(&scenario.name);
        let varying = Output::ALL
            .into_iter()
            .any(|o| !analysis.ranked(&scenario.name, o).is_empty());
        if !varying && !constant.is_empty() {
            out.push_str(
                "  outputs do not vary: the same in every sample, so there is no variance \
                 to apportion\n",
            );
            let width = constant
                .iter()
                .map(|c| c.output.label(file).len())
                .max()
                .unwrap_or(0);
            for c in &constant {
                out.push_str(&format!(
                    "    {:<width$}  always {}\n",
                    c.output.label(file),
                    count(c.value)
                ));
            }
            continue;
        }
        for output in Output::ALL {
            let rows = analysis.ranked(&scenario.name, output);
            if let Some(c) = constant.iter().find(|c| c.output == output) {
                out.push_str(&format!(
                    "  {}\n    does not vary: always {} in every sample, so there is no \
                     variance to apportion\n",
                    output.label(file),
                    count(c.value)
                ));
                continue;
            }
            if rows.is_empty() {
                continue;
            }
            out.push_str(&format!("  {}\n", output.label(file)));
            let width = rows.iter().map(|r| r.input.len()).max().unwrap_or(0);
            for r in &rows {
                let (lo, hi) = r.index.interval();
                out.push_str(&format!(
                    "    {:<width$}  {:>5.1}%  [{:.1}% to {:.1}%]\n",
                    r.input,
                    100.0 * r.index.estimate,
                    100.0 * lo,
                    100.0 * hi
                ));
            }
            out.push_str(&format!(
                "    {:<width$}  {:>5.1}%\n",
                "(interactions and chance)",
                100.0 * analysis.unexplained(&scenario.name, output)
            ));
        }
    }
    out.push_str(
        "\nAn input that does not matter has an index near 0, and its estimate can come out \
         slightly negative by chance.\n",
    );
    out
}

/// The table printed by `dudsim validate`.
pub fn validation(rows: &[Validation], file: &ScenarioFile, settings: &RunSettings) -> String {
    let mut out = format!(
        "{}\n{} replicates per campaign, seed {}. Simulated unexploded submunitions beside the published estimates.\n\n",
        file.title,
        count(settings.replicates() as f64),
        settings.seed()
    );
    let header = [
        "Campaign",
        "Used (simulated mean)",
        "Published UXO",
        "Simulated 90% interval",
        "Median",
        "Covered",
    ]
    .map(String::from);
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|v| {
            vec![
                v.published.campaign.to_string(),
                rounded_compact(v.submunitions, v.submunitions_se),
                compact(v.published.unexploded),
                range(
                    &rounded_compact(v.p05, v.uncertainty(0.05, v.p05)),
                    &rounded_compact(v.p95, v.uncertainty(0.95, v.p95)),
                ),
                rounded_compact(v.p50, v.uncertainty(0.5, v.p50)),
                if v.covered { "yes" } else { "NO" }.to_string(),
            ]
        })
        .collect();
    out.push_str(&grid(&header, &cells));
    out.push_str(
        "\nThis checks that the published figures used as inputs reproduce the published \
         estimates, which were derived from such figures; it is not an independent field truth.\n",
    );
    out
}

/// `dudsim catalog`: the built-in munitions, one line each.
pub fn catalog_list() -> String {
    let mut out =
        String::from("Built-in munitions (`dudsim catalog ID` shows the figures and sources):\n\n");
    out.push_str(&format!(
        "{:<14} {:<34} {:>6}  {}\n",
        "ID", "Carrier", "Subm.", "Default dud rate"
    ));
    for m in catalog::entries() {
        out.push_str(&format!(
            "{:<14} {:<34} {:>6}  {}\n",
            m.id, m.carrier, m.submunitions, m.dud_rate
        ));
    }
    out
}

/// `dudsim catalog ID`: one munition's published figures and sources.
pub fn catalog_entry(m: &CatalogEntry) -> String {
    let mut out = format!(
        "{id}: {carrier}\n\
         Submunition:        {sub} ({country}), {n} per carrier{sd}\n\
         Claimed dud rate:   {claimed}\n\
         Test dud rate:      {test}\n\
         Field dud rate:     {field}\n\
         Footprint:          {footprint}\n\
         Default dud rate:   {dist} ({basis})\n",
        id = m.id,
        carrier = m.carrier,
        sub = m.submunition,
        country = m.country,
        n = m.submunitions,
        sd = if m.has_self_destruct {
            ", with self-destruct"
        } else {
            ""
        },
        claimed = m.claimed_dud_rate,
        test = m.test_dud_rate,
        field = m.field_dud_rate,
        footprint = m.footprint,
        dist = m.dud_rate,
        basis = m.dud_rate_basis,
    );
    if let Some(r) = m.footprint_radius_m {
        out.push_str(&format!(
            "Footprint radius:   {r} m ({})\n",
            m.footprint_basis
        ));
    }
    out.push_str("Sources:\n");
    for key in m.sources {
        if let Some(s) = catalog::source(key) {
            out.push_str(&format!("  [{}] {}\n", s.key, s.citation));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_well() {
        assert_eq!(count(72000.0), "72,000");
        assert_eq!(count(1234567.4), "1,234,567");
        assert_eq!(count(3.25), "3.2");
        assert_eq!(count(12.0), "12");
        assert_eq!(count(999.0), "999");
    }

    #[test]
    fn figures_are_rounded_to_their_precision() {
        let s = Summary {
            mean: 25_184.3,
            sd: 1_950.0,
            se: 19.5,
            min: 17_000.0,
            max: 33_000.0,
            p05: 21_964.0,
            p95: 28_424.0,
            ..Summary::default()
        };
        assert_eq!(mean_and_interval(&s), "25,180 [21,960-28,420]");
        let constant = Summary {
            mean: 72_000.0,
            min: 72_000.0,
            max: 72_000.0,
            ..Summary::default()
        };
        assert_eq!(mean_and_interval(&constant), "72,000");
    }
}
