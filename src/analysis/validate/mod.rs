//! `dudsim validate`: the historical campaigns of the catalog, with their
//! published figures as inputs, set beside the published estimates of how
//! many submunitions failed to explode.
//!
//! This checks that dudsim's inputs reproduce the published arithmetic (a
//! number used times a failure rate), not an independent field truth: the
//! published estimates were themselves derived from such figures.

use crate::engine::{Engine, RunSettings};
use crate::scenario::{ScenarioFile, catalog};
use crate::stats::{RunStats, Summary};

/// The campaigns as a scenario file; each scenario's comments give the
/// published figures behind its distributions.
pub fn campaigns_text() -> &'static str {
    include_str!("campaigns.toml")
}

/// The campaigns' scenario file.
pub fn campaigns() -> ScenarioFile {
    ScenarioFile::parse("<built-in historical campaigns>", campaigns_text())
        .expect("the built-in campaigns are valid")
}

/// What was published about one campaign.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Published {
    /// The scenario of [`campaigns`] that models it.
    pub campaign: &'static str,
    /// Submunitions used, as published.
    pub submunitions: &'static str,
    /// The published estimate of unexploded submunitions, as a number.
    pub unexploded: f64,
    /// The estimate as published.
    pub unexploded_text: &'static str,
    /// Keys into [`catalog::SOURCES`].
    pub sources: &'static [&'static str],
}

/// The published estimates, in the order of [`campaigns`].
pub const PUBLISHED: &[Published] = &[
    Published {
        campaign: "Laos 1964-1973",
        submunitions: "at least 270 million",
        unexploded: 80e6,
        unexploded_text: "about 80 million",
        sources: &["S15", "S16"],
    },
    Published {
        campaign: "Cambodia 1965-1973",
        submunitions: "26-30 million",
        unexploded: 7e6,
        unexploded_text: "about a quarter: 6.5-7.5 million",
        sources: &["S17"],
    },
    Published {
        campaign: "Gulf War 1991",
        submunitions: "about 20 million air-dropped",
        unexploded: 1.35e6,
        unexploded_text: "1.2-1.5 million (DoD)",
        sources: &["S19", "S5"],
    },
    Published {
        campaign: "Kosovo 1999",
        submunitions: "about 220,000",
        unexploded: 30_000.0,
        unexploded_text: "about 30,000",
        sources: &["S20"],
    },
    Published {
        campaign: "Afghanistan 2001-2002",
        submunitions: "248,056 (1,228 bombs)",
        unexploded: 12_400.0,
        unexploded_text: "about 12,400",
        sources: &["S7"],
    },
    Published {
        campaign: "Lebanon 2006",
        submunitions: "about 4 million (UN, HRW); about 2 million (GICHD)",
        unexploded: 1e6,
        unexploded_text: "up to 1 million (UN); 560,000-1.1 million (UN, 2008)",
        sources: &["S1", "S12", "S13", "S14", "S25"],
    },
];

/// One campaign's simulated interval beside its published estimate.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Validation {
    /// What was published about the campaign.
    pub published: Published,
    /// Mean submunitions simulated.
    pub submunitions: f64,
    /// Standard error of that mean.
    pub submunitions_se: f64,
    /// Every figure of the simulated unexploded submunitions.
    pub unexploded: Summary,
    /// 5th percentile of the simulated unexploded submunitions.
    pub p05: f64,
    /// Median of the simulated unexploded submunitions.
    pub p50: f64,
    /// 95th percentile of the simulated unexploded submunitions.
    pub p95: f64,
    /// Whether the published estimate lies in the simulated 90% interval.
    pub covered: bool,
}

impl Validation {
    /// How far the simulated quantile `q`, `value`, may be off (see
    /// [`Summary::quantile_uncertainty`]), to round it for people.
    pub fn uncertainty(&self, q: f64, value: f64) -> f64 {
        self.unexploded.quantile_uncertainty(q, value)
    }
}

/// Sets a run of [`campaigns`] beside the published estimates.
pub fn compare(stats: &RunStats) -> Vec<Validation> {
    PUBLISHED
        .iter()
        .zip(&stats.scenarios)
        .map(|(published, s)| {
            let (p05, p50, p95) = (
                s.unexploded.quantile(0.05),
                s.unexploded.quantile(0.50),
                s.unexploded.quantile(0.95),
            );
            let submunitions = s.submunitions.summary();
            Validation {
                published: *published,
                submunitions: submunitions.mean,
                submunitions_se: submunitions.se,
                unexploded: s.unexploded.summary(),
                p05,
                p50,
                p95,
                covered: p05 <= published.unexploded && published.unexploded <= p95,
            }
        })
        .collect()
}

/// Runs the campaigns on the current rayon pool, holding at most
/// `stat_copies` copies of the statistics at once.
pub fn run(
    file: &ScenarioFile,
    settings: &RunSettings,
    stat_copies: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<Validation> {
    let engine = Engine::new(file, settings).with_stat_copies(stat_copies);
    let stats = RunStats::collect(&engine, 0..settings.replicates(), progress);
    compare(&stats)
}

/// Source keys and citations of a campaign, for files and reports.
pub fn citations(v: &Validation) -> String {
    v.published
        .sources
        .iter()
        .filter_map(|k| catalog::source(k))
        .map(|s| format!("[{}] {}", s.key, s.citation))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_campaign_has_its_published_figures_and_sources() {
        let file = campaigns();
        assert_eq!(file.scenarios.len(), PUBLISHED.len());
        for (s, p) in file.scenarios.iter().zip(PUBLISHED) {
            assert_eq!(s.name, p.campaign);
            assert!(p.sources.iter().all(|k| catalog::source(k).is_some()));
        }
    }
}
