//! `calibration.html`: the page of `dudsim calibrate`, self-contained like
//! `report.html` (same style sheet and pieces): what the records say about
//! each uncertain input, the records against the fitted scenario (with the
//! held-out counts), how the fit ran, the method in plain words, how to
//! forecast with the result, and both input files.

use std::fmt::Write;

use super::charts::Chart;
use super::report::{escape, figure, footer, head, scenario_file};
use crate::analysis::calibration::{Calibrated, MIN_ACCEPTANCE_RATE};
use crate::format::{count, parameter, thousands};

/// The page's file name.
pub const PAGE: &str = "calibration.html";

/// A median and its 90% interval.
fn interval(median: f64, q05: f64, q95: f64) -> String {
    format!(
        "{}<br><small>{} to {}</small>",
        parameter(median),
        parameter(q05),
        parameter(q95)
    )
}

/// The finding in a sentence: how many counts of the records the fitted
/// scenario reproduces (inside the middle 90% of its simulations), and
/// the input the records pin down most, with its 90% interval.
pub fn headline(c: &Calibrated) -> Option<String> {
    let total = c.observations.len();
    if total == 0 {
        return None;
    }
    let inside = c.observations.iter().filter(|o| o.in_90()).count();
    let counts = match (inside == total, total) {
        (true, 1) => "The one count in the records falls".to_string(),
        (true, 2) => "Both counts in the records fall".to_string(),
        (true, _) => format!("All {total} counts in the records fall"),
        (false, _) => format!("{inside} of the {total} counts in the records fall"),
    };
    let mut sentence =
        format!("{counts} inside the middle 90% of what the calibrated scenario simulates");
    let pinned = c
        .parameters
        .iter()
        .filter(|p| p.narrowing().is_finite())
        .min_by(|a, b| a.narrowing().total_cmp(&b.narrowing()));
    match pinned {
        Some(p) if p.narrowing() < 0.8 => {
            let _ = write!(
                sentence,
                "; the records pin down the {} most: {} to {} (median {}), {:.0}% of the \
                 width of its range.",
                p.label,
                parameter(p.posterior.q05),
                parameter(p.posterior.q95),
                parameter(p.posterior.median),
                100.0 * p.narrowing()
            );
        }
        _ => sentence.push_str("; the records narrow no input much."),
    }
    Some(sentence)
}

/// The whole page; `chart` is `None` when charts were not drawn.
pub fn render(c: &Calibrated, chart: Option<&Chart>) -> String {
    let mut h = String::new();
    let title = format!("Calibration: {}", c.scenario);
    head(&mut h, &title);
    let _ = writeln!(h, "<h1>{}</h1>", escape(&title));
    if let Some(sentence) = headline(c) {
        let _ = writeln!(h, "<p class=\"headline\">{}</p>", escape(&sentence));
    }
    let _ = writeln!(h, "<p>{}</p>", escape(c.file.title()));
    let n = c.observations.len();
    let held = c.options.hold_out;
    let fitted = n - held;
    let held_text = if held > 0 {
        format!(", the last {held} left out of the fit to check the forecast")
    } else {
        String::new()
    };
    let _ = writeln!(
        h,
        "<p class=\"meta\">Scenario <strong>{}</strong> of {} fitted by dudsim {} to {} count(s) \
         of {} ({n} in all{held_text}): {} particles, seed {}, {} model runs.</p>",
        escape(&c.scenario),
        escape(c.file.source_name()),
        escape(env!("CARGO_PKG_VERSION")),
        fitted,
        escape(c.records.source_name()),
        thousands(c.options.particles as f64),
        c.options.seed,
        thousands((c.fit_simulations + c.predictive_simulations) as f64)
    );
    let _ = writeln!(
        h,
        "<p>The scenario file gives each uncertain input a range: what was known before the \
         records. Calibration asks which values in those ranges make the scenario reproduce \
         what was counted after the conflict, and how sure one can be. The answer, the \
         <em>posterior</em>, is what the records add to the ranges; where the records say \
         nothing about an input (two inputs that only matter together, like the number of \
         submunitions fired and their dud rate), its posterior stays close to its range.</p>"
    );

    parameters_table(&mut h, c);
    observations_section(&mut h, c, chart);
    generations_table(&mut h, c);
    method(&mut h);
    forecast(&mut h, c);
    records_file(&mut h, c);
    scenario_file(&mut h, &c.file, "h2");
    footer(&mut h);
    h
}

fn parameters_table(h: &mut String, c: &Calibrated) {
    let _ = writeln!(
        h,
        "<h2>What the records say about each input</h2>\n<p>Medians, with the 90% interval \
         (5th to 95th percentile) in small print. The prior is the scenario file's range, \
         read from the fit's first generation ({} draws); the last column is the width of \
         the posterior's 90% interval over the prior's: the smaller, the more the records \
         pinned the input down.</p>\n<div class=\"scroll\"><table>\n<tr><th>Input</th><th>Range in the scenario \
         file</th><th>Prior</th><th>Posterior</th><th>90% width, posterior / prior</th></tr>",
        thousands(c.options.particles as f64)
    );
    for p in &c.parameters {
        let _ = writeln!(
            h,
            "<tr><td>{}<br><small><code>{}</code></small></td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{:.0}%</td></tr>",
            escape(&p.label),
            escape(&p.name),
            escape(&p.prior_written),
            interval(p.prior.median, p.prior.q05, p.prior.q95),
            interval(p.posterior.median, p.posterior.q05, p.posterior.q95),
            100.0 * p.narrowing()
        );
    }
    let _ = writeln!(
        h,
        "</table></div>\n<p class=\"meta\">Rates are per {} (the probability that the cause, \
         acting alone, removes a submunition within one {}); durations are in {}s. The \
         effective sample size of the posterior's weights is {}.</p>",
        c.records.rate_unit(),
        c.records.rate_unit(),
        c.records.rate_unit(),
        count(c.posterior.effective_sample_size())
    );
}

fn observations_section(h: &mut String, c: &Calibrated, chart: Option<&Chart>) {
    let _ = writeln!(
        h,
        "<h2>The records against the fitted scenario</h2>\n<p>For each count of the records, \
         the scenario was simulated again with inputs drawn from the posterior: the \
         <em>posterior predictive</em> distribution of that count. A count inside the middle \
         90% of it is one the fitted scenario finds unremarkable; a count outside says that \
         the scenario, with any inputs the records allow, does not reproduce it well.</p>"
    );
    match chart {
        Some(chart) => figure(h, chart),
        None => {
            let _ = writeln!(
                h,
                "<p class=\"note\">Charts were not drawn (<code>--no-charts</code>).</p>"
            );
        }
    }
    let _ = writeln!(
        h,
        "<div class=\"scroll\"><table>\n<tr><th>Count</th><th>Observed</th><th>Simulated median</th>\
         <th>Middle 50%</th><th>Middle 90%</th><th>Inside 90%</th><th>Source</th></tr>"
    );
    for o in &c.observations {
        let b = o.band;
        let role = if o.held_out {
            "<br><small><strong>held out</strong>: not fitted</small>"
        } else {
            ""
        };
        let _ = writeln!(
            h,
            "<tr><td>{}{role}<br><small>line {}</small></td><td>{}</td><td>{}</td>\
             <td>{} to {}</td><td>{} to {}</td><td>{}</td><td><small>{}</small></td></tr>",
            escape(o.record.label()),
            o.record.line(),
            thousands(o.record.count() as f64),
            count(b.median),
            count(b.q25),
            count(b.q75),
            count(b.q05),
            count(b.q95),
            if o.in_90() {
                "yes"
            } else {
                "<strong>no</strong>"
            },
            escape(o.record.source().unwrap_or(""))
        );
    }
    let _ = writeln!(h, "</table></div>");
    if c.options.hold_out > 0 {
        let (inside, total) = c.hold_out_coverage();
        let _ = writeln!(
            h,
            "<p class=\"note\">Held out: <strong>{inside} of {total}</strong> count(s) fall \
             inside their 90% predictive interval. A check of the forecast, not a proof: few \
             counts, and published series are revised between editions.</p>"
        );
    }
}

fn generations_table(h: &mut String, c: &Calibrated) {
    let fitted = (c.observations.len() - c.options.hold_out) as f64;
    let _ = writeln!(
        h,
        "<h2>How the fit ran</h2>\n<p>Each generation keeps {} particles whose simulation \
         came within a tolerance of the counts fitted, the tolerance shrinking from one \
         generation to the next. The tolerance is a distance in <em>scale units</em> (see \
         below); divided by the square root of the number of counts fitted it is the \
         root-mean-square miss per count. The fit stopped because {}, after {} model runs; \
         the posterior predictive check took {} more.</p>\n<div class=\"scroll\"><table>\n<tr><th>Generation</th>\
         <th>Tolerance</th><th>Per count (RMS)</th><th>Acceptance rate</th>\
         <th>Effective sample size</th><th>Model runs</th></tr>",
        thousands(c.options.particles as f64),
        escape(&c.stop.to_string()),
        thousands(c.fit_simulations as f64),
        thousands(c.predictive_simulations as f64)
    );
    for g in &c.generations {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.2}%</td><td>{}</td><td>{}</td></tr>",
            g.generation,
            parameter(g.tolerance),
            parameter(g.tolerance / fitted.sqrt()),
            100.0 * g.acceptance_rate,
            count(g.effective_sample_size),
            thousands(g.simulations as f64)
        );
    }
    let _ = writeln!(h, "</table></div>");
}

fn method(h: &mut String) {
    let _ = writeln!(
        h,
        "<h2>Method</h2>\n\
<p>The model has no likelihood one could write down, but it can be simulated: dudsim uses \
<em>approximate Bayesian computation</em> by <em>sequential Monte Carlo</em> (ABC-SMC), in \
the population Monte Carlo form of Beaumont, Cornuet, Marin and Robert (2009), with each \
generation's tolerance set from the previous generation's distances as in Drovandi and \
Pettitt (2011). The parameters are the scenario's uncertain inputs, named as in \
<code>sensitivity.csv</code>; their priors are the ranges of the scenario file. The model \
is one replicate of the scenario with those inputs set and everything else (the other \
inputs, which submunitions fail, which are found) drawn as <code>dudsim run</code> draws \
it.</p>\n\
<p>The distance between a simulation and the records is the square root of the sum, over \
the counts fitted, of the squared difference divided by the count's scale: its \
<code>sd</code> when the records file gives one, otherwise the square root of the count \
(a count of 100 missed by 10 weighs as much as a count of 1 missed by 1). Generation 0 \
draws every particle from the prior. Each later generation sets its tolerance to the \
weighted median of the previous generation's distances; each of its particles is proposed \
by perturbing a particle of the previous generation (picked by weight; a Gaussian step \
with twice their weighted covariance, in coordinates where every input is unbounded; a \
discrete step for counts) or, one time in twenty, drawn from the prior, and is simulated \
until its simulation comes within the tolerance. Its importance weight is its prior \
density over the density of that proposal. Mixing the prior into the proposal (Hesterberg \
1995) bounds every weight.</p>\n\
<p>The fit stops when a generation would accept fewer than {:.1}% of its proposals (that \
generation is dropped), when the tolerance stops falling, or when its budget of {} model \
runs per particle is spent. The last generation is a weighted sample of the posterior at \
its tolerance: counts are matched to within it, not exactly, which makes the posterior \
somewhat wider than an exact one. If the simulations cannot come within 3 scale units per \
count (root-mean-square), the fit ends with an error naming the counts they stay \
farthest from: the ranges of the scenario file cannot reproduce the records. Every \
particle draws its random numbers from its own stream, so the result is the same for a \
seed whatever the number of threads.</p>\n\
<p>The posterior is what this model and these ranges make of these records, no more: it \
cannot correct a wrong model, and published series are revised between editions.</p>\n\
<p class=\"meta\">M. A. Beaumont, J.-M. Cornuet, J.-M. Marin, C. P. Robert (2009). Adaptive \
approximate Bayesian computation. <em>Biometrika</em> 96, 983&ndash;990. C. C. Drovandi, \
A. N. Pettitt (2011). Estimation of parameters for macroparasite population evolution \
using approximate Bayesian computation. <em>Biometrics</em> 67, 225&ndash;233. T. \
Hesterberg (1995). Weighted average importance sampling and defensive mixture \
distributions. <em>Technometrics</em> 37, 185&ndash;194.</p>",
        100.0 * MIN_ACCEPTANCE_RATE,
        thousands(crate::analysis::calibration::SIMULATIONS_PER_PARTICLE as f64),
    );
}

fn forecast(h: &mut String, c: &Calibrated) {
    let _ = writeln!(
        h,
        "<h2>Forecast with the fitted inputs</h2>\n<p><code>posterior.csv</code> holds the \
         posterior: one row per particle, its weight, then one column per input. \
         <code>dudsim run {} --posterior posterior.csv</code> runs the scenario file with \
         each replicate's uncertain inputs drawn jointly from those particles (by weight, \
         with the replicate's own random stream) instead of from their ranges: a forecast \
         that carries what the records said, and their uncertainty.</p>\n<h2>Reproduce</h2>\n\
         <p><code>dudsim calibrate {} --records {} --particles {} --seed {}{}</code> gives the \
         same posterior with the same version of dudsim, on any machine and with any number \
         of threads.</p>",
        escape(c.file.source_name()),
        escape(c.file.source_name()),
        escape(c.records.source_name()),
        c.options.particles,
        c.options.seed,
        if c.options.hold_out > 0 {
            format!(" --hold-out {}", c.options.hold_out)
        } else {
            String::new()
        }
    );
}

fn records_file(h: &mut String, c: &Calibrated) {
    let _ = writeln!(
        h,
        "<h2>Records file</h2>\n<p class=\"meta\">{}</p>\n<pre>{}</pre>",
        escape(c.records.source_name()),
        escape(c.records.text())
    );
}
