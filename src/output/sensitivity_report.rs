//! `sensitivity.html`: the page of `dudsim sensitivity`, self-contained
//! like the run's `report.html` (same style sheet and pieces): the method
//! in plain words, the ranked indices with their exact input names and 95%
//! confidence intervals, the tornado charts inline as SVG, and the scenario
//! file.
//!
//! It is not called `report.html` so that `dudsim run` and
//! `dudsim sensitivity` can write into the same output directory without
//! one page replacing the other.

use std::fmt::Write;

use super::charts::Chart;
use super::report::{escape, figure, footer, head, scenario_file, scenario_name};
use crate::analysis::sensitivity::{Analysis, Output};
use crate::format;
use crate::scenario::{DEFAULT_SCENARIO_NAME, ScenarioFile};

/// The page's file name.
pub const PAGE: &str = "sensitivity.html";

/// The whole page. `charts` is empty when charts were not drawn
/// (`--no-charts`) or there is nothing to chart; the page then says why.
pub fn render(file: &ScenarioFile, analysis: &Analysis, charts: &[Chart]) -> String {
    let mut h = String::new();
    let title = format!("Sensitivity: {}", file.title);
    head(&mut h, &title);
    let _ = writeln!(h, "<h1>{}</h1>", escape(&title));
    if let Some(sentence) = headline(file, analysis) {
        let _ = writeln!(h, "<p class=\"headline\">{}</p>", escape(&sentence));
    }
    let _ = writeln!(
        h,
        "<p class=\"meta\">Which uncertain input drives the uncertainty of each output: a \
         variance-based sensitivity analysis by dudsim {}, {} pick-freeze samples per \
         scenario, seed {}.</p>",
        escape(env!("CARGO_PKG_VERSION")),
        format::count(analysis.samples as f64),
        analysis.seed
    );
    method(&mut h, analysis);

    if !analysis.certain.is_empty() {
        let names: Vec<String> = analysis
            .certain
            .iter()
            .map(|n| format!("<strong>{}</strong>", escape(n)))
            .collect();
        let _ = writeln!(
            h,
            "<p class=\"note\">Every input of {} is a fixed number: there is nothing to rank, \
             and the spread of its results is chance alone.</p>",
            names.join(", ")
        );
    }
    constant_notes(&mut h, file, analysis);
    let outputs = analysis.outputs();
    if outputs.is_empty() && analysis.constant.is_empty() {
        let _ = writeln!(
            h,
            "<p class=\"note\">No scenario of this file has an uncertain input (one given as \
             a range rather than a number), so there is nothing to rank and no chart.</p>"
        );
    } else if outputs.is_empty() {
        let _ = writeln!(
            h,
            "<p class=\"note\">No output varies with the uncertain inputs, so there is \
             nothing to rank and no chart.</p>"
        );
    } else if charts.is_empty() {
        let _ = writeln!(
            h,
            "<p class=\"note\">Charts were not drawn (<code>--no-charts</code>).</p>"
        );
    }
    for output in outputs {
        let _ = writeln!(h, "<h2>{}</h2>", escape(&output.label(file)));
        let name = format!("sensitivity-{}", output.name());
        charts
            .iter()
            .filter(|c| c.name == name)
            .for_each(|c| figure(&mut h, c));
        ranked_table(&mut h, file, analysis, output);
    }

    let command = match file.source_name.as_str() {
        DEFAULT_SCENARIO_NAME => "dudsim sensitivity".to_string(),
        source => format!("dudsim sensitivity {source}"),
    };
    let _ = writeln!(
        h,
        "<h2>Reproduce</h2>\n<p><code>{} --samples {} --seed {}</code> gives the same \
         indices with the same version of dudsim, on any machine and with any number of \
         threads. The indices are also in <code>sensitivity.csv</code> (columns \
         <code>scenario,output,input,importance</code>).</p>",
        escape(&command),
        analysis.samples,
        analysis.seed
    );
    scenario_file(&mut h, file, "h2");
    footer(&mut h);
    h
}

/// For each scenario with outputs that never varied, a note saying which
/// and at what value.
fn constant_notes(h: &mut String, file: &ScenarioFile, analysis: &Analysis) {
    for scenario in &file.scenarios {
        let constant = analysis.constant_outputs(&scenario.name);
        if constant.is_empty() {
            continue;
        }
        let items: Vec<String> = constant
            .iter()
            .map(|c| {
                format!(
                    "{} (always {})",
                    escape(&c.output.label(file)),
                    format::count(c.value)
                )
            })
            .collect();
        let (list, verb) = match items.as_slice() {
            [one] => (one.clone(), "does"),
            [rest @ .., last] => (format!("{} and {last}", rest.join(", ")), "do"),
            [] => continue,
        };
        let _ = writeln!(
            h,
            "<p class=\"note\">In <strong>{}</strong>, {list} {verb} not vary: every sample \
             gives the same value whatever the inputs, so there is no variance to \
             apportion.</p>",
            escape(&scenario.name)
        );
    }
}

/// How the indices are estimated, in plain words.
fn method(h: &mut String, analysis: &Analysis) {
    let samples = format::count(analysis.samples as f64);
    let _ = writeln!(
        h,
        "<h2>How the inputs are ranked</h2>\n\
<p>An <em>uncertain input</em> is one the scenario file gives as a range rather than a \
number: a dud rate, a self-destruct rate, a carrier count, the start of clearance, or a \
clearance, encounter or degradation rate. Each is ranked, for each output, by its \
<strong>first-order index</strong>: the share of the output's variance that would \
disappear if that one input were known exactly. An index of 90% means that pinning that \
input down would remove nine tenths of the spread of the results.</p>\n\
<p>The indices are estimated by <em>pick-freeze</em>: each of the {samples} samples per \
scenario draws two independent sets of inputs, A and B, runs the model on A, and then, \
for each uncertain input, runs it again on B with that one input taken from A, with \
fresh randomness every time. How closely the two results move together measures the \
share of that input. The estimator is that of Janon, Klein, Lagnoux, Nodet and Prieur \
(2014), which uses both runs of each pair for the mean and the variance; the 95% \
confidence intervals come from its asymptotic normal distribution (the delta method) \
and shrink as one over the square root of the number of samples.</p>\n\
<p>What no single input explains is left to <em>interactions and chance</em>: effects \
that need two inputs together (many duds <em>and</em> a high encounter rate), and the \
chance of the model itself (which submunitions fail, which duds people meet). An input \
that does not matter has an index near 0, and its estimate can come out slightly below 0 \
by chance; it counts as 0 in that share.</p>\n\
<p class=\"meta\">A. Janon, T. Klein, A. Lagnoux, M. Nodet, C. Prieur (2014). Asymptotic \
normality and efficiency of two Sobol index estimators. <em>ESAIM: Probability and \
Statistics</em> 18, 342&ndash;364.</p>"
    );
}

/// One output's indices, scenario by scenario, ranked, with the exact
/// input names and the rest: three columns under a row naming each
/// scenario, so that the table fits a phone.
fn ranked_table(h: &mut String, file: &ScenarioFile, analysis: &Analysis, output: Output) {
    let _ = writeln!(
        h,
        "<div class=\"scroll\"><table class=\"figures\">\n<tr><th>Input</th><th>First-order index</th>\
         <th>95% confidence interval</th></tr>"
    );
    let percent = |v: f64| format!("{:.1}%", 100.0 * v).replace('-', "&minus;");
    for (i, scenario) in file.scenarios.iter().enumerate() {
        let rows = analysis.ranked(&scenario.name, output);
        let constant = analysis
            .constant_outputs(&scenario.name)
            .into_iter()
            .find(|c| c.output == output);
        if constant.is_none() && rows.is_empty() {
            continue;
        }
        let _ = writeln!(
            h,
            "<tr><th colspan=\"3\" class=\"group\">{}</th></tr>",
            scenario_name(i, &scenario.name)
        );
        if let Some(c) = constant {
            let _ = writeln!(
                h,
                "<tr><td colspan=\"3\"><em>does not vary</em>: always {} in every \
                 sample</td></tr>",
                format::count(c.value)
            );
            continue;
        }
        for r in &rows {
            let (lo, hi) = r.index.interval();
            let _ = writeln!(
                h,
                "<tr><td>{}<br><small><code>{}</code></small></td><td>{}</td>\
                 <td>{} to {}</td></tr>",
                escape(&r.label),
                escape(&r.input),
                percent(r.index.estimate),
                percent(lo),
                percent(hi)
            );
        }
        let _ = writeln!(
            h,
            "<tr><td><em>interactions and chance</em><br><small>what no single input \
             explains</small></td><td>{}</td><td></td></tr>",
            percent(analysis.unexplained(&scenario.name, output))
        );
    }
    let _ = writeln!(h, "</table></div>");
}

/// The finding in a sentence: for the first scenario with uncertain
/// inputs, the input that explains most of each output's variance, and
/// how much. `None` when no input is ranked.
pub fn headline(file: &ScenarioFile, analysis: &Analysis) -> Option<String> {
    let scenario = file.scenarios.iter().find(|s| {
        analysis
            .outputs()
            .into_iter()
            .any(|o| !analysis.ranked(&s.name, o).is_empty())
    })?;
    let parts: Vec<String> = analysis
        .outputs()
        .into_iter()
        .filter_map(|output| {
            let top = analysis
                .ranked(&scenario.name, output)
                .into_iter()
                .max_by(|a, b| a.index.estimate.total_cmp(&b.index.estimate))?;
            let what = match output {
                Output::Unexploded => "unexploded submunitions after the strikes".to_string(),
                _ => lower_first(&output.label(file)),
            };
            Some((top.label.clone(), top.index.estimate, what))
        })
        .enumerate()
        .map(|(k, (input, share, what))| {
            let share = format!("{:.0}%", 100.0 * share.clamp(0.0, 1.0));
            if k == 0 {
                format!("the {input} explains {share} of the variance of {what}")
            } else {
                format!("the {input} {share} of that of {what}")
            }
        })
        .collect();
    let list = match parts.as_slice() {
        [] => return None,
        [one] => one.clone(),
        [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
    };
    Some(format!("In \u{201c}{}\u{201d}, {list}.", scenario.name))
}

/// `Live UXO at month 120` → `live UXO at month 120`.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
