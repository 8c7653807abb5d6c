//! The built-in munitions: published figures with their sources, and the
//! dud-rate distribution dudsim assumes when a scenario names a munition
//! without giving its own.
//!
//! Figures are those collected in the project's data folder
//! (`munitions.csv`, `SOURCES.md`). Test-range rates (about 1–6%) and field
//! rates (5–40%) differ systematically; each entry says which figure its
//! default distribution rests on.

use super::dist::{ProbDist, ProbShape};

/// A published source, cited by key in the catalog.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Source {
    /// Short key, e.g. `S4`.
    pub key: &'static str,
    /// Full citation.
    pub citation: &'static str,
}

/// Every source the catalog, the default scenario and the historical
/// campaigns cite.
pub const SOURCES: &[Source] = &[
    Source {
        key: "S1",
        citation: "Human Rights Watch, Flooding South Lebanon: Israel's Use of Cluster Munitions in Lebanon in July and August 2006 (2008)",
    },
    Source {
        key: "S2",
        citation: "UK Hansard, written answers on cluster munitions, 16 June 2003, and on the M85 submunition, April 2007",
    },
    Source {
        key: "S3",
        citation: "Defense Daily, DoD spokesman on the DPICM dud rate being below 2.35% (July 2023)",
    },
    Source {
        key: "S4",
        citation: "White House and DoD press briefings, 6-13 July 2023 (J. Sullivan: Russian cluster munitions with dud rates of 30-40%; C. Kahl: US DPICM below 2.35%)",
    },
    Source {
        key: "S5",
        citation: "New York Times, \"Cluster weapons the US is sending Ukraine often fail to detonate\" (July 2023)",
    },
    Source {
        key: "S6",
        citation: "Washington Post, 6 July 2023 (older DoD estimate of a 6% dud rate for the M864)",
    },
    Source {
        key: "S7",
        citation: "Human Rights Watch, Fatally Flawed: Cluster Bombs and Their Use by the United States in Afghanistan (2002)",
    },
    Source {
        key: "S8",
        citation: "Norwegian People's Aid, Norwegian Defence Research Establishment (FFI) and C King Associates, M85: An Analysis of Reliability (2007)",
    },
    Source {
        key: "S9",
        citation: "Human Rights Watch, reports on cluster munition use in Ukraine (March 2022, July 2023)",
    },
    Source {
        key: "S10",
        citation: "Ukrainian humanitarian demining centre, statement of March 2024",
    },
    Source {
        key: "S12",
        citation: "Geneva International Centre for Humanitarian Demining (GICHD), technical note on cluster munition clearance in Lebanon",
    },
    Source {
        key: "S13",
        citation: "UN Mine Action Coordination Centre South Lebanon, as reported by IRIN",
    },
    Source {
        key: "S14",
        citation: "BBC News, \"'Million bomblets' in S Lebanon\" (2006)",
    },
    Source {
        key: "S15",
        citation: "Lao National Regulatory Authority for UXO/Mine Action statistics; Landmine and Cluster Munition Monitor, Lao PDR country profiles",
    },
    Source {
        key: "S16",
        citation: "International Committee of the Red Cross, \"Laos: the legacy of war\"",
    },
    Source {
        key: "S17",
        citation: "Phnom Penh Post, interview with the Cambodian Mine Action Centre (2021)",
    },
    Source {
        key: "S19",
        citation: "Human Rights Watch, 2009 figures on the 1991 Gulf War (secondary source)",
    },
    Source {
        key: "S20",
        citation: "The Guardian, 6 September 2000; ICRC report on Kosovo; World Health Organization figures",
    },
    Source {
        key: "S21",
        citation: "The Guardian, 20 April 2004; UK Ministry of Defence note on Iraq 2003",
    },
    Source {
        key: "S22",
        citation: "Human Rights Watch, A Dying Practice: Use of Cluster Munitions by Russia and Georgia in August 2008 (2009); HALO Trust release, December 2009",
    },
    Source {
        key: "S24",
        citation: "Cluster Munition Coalition, Cluster Munition Monitor, annual reports 2022-2025",
    },
    Source {
        key: "S25",
        citation: "Landmine and Cluster Munition Monitor, Lebanon country profiles 2008-2018",
    },
    Source {
        key: "S26",
        citation: "Cluster Munition Monitor, contamination and clearance chapters 2011-2018",
    },
    Source {
        key: "S28",
        citation: "Federation of American Scientists, BLU-63 description (secondary source)",
    },
    Source {
        key: "S29",
        citation: "Secondary source on the CBU-26 and its BLU-26 submunition",
    },
];

/// Looks a source up by key.
pub fn source(key: &str) -> Option<&'static Source> {
    SOURCES.iter().find(|s| s.key == key)
}

/// One built-in munition type.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CatalogEntry {
    /// Identifier used in scenario files.
    pub id: &'static str,
    /// The carrier (rocket, shell, bomb).
    pub carrier: &'static str,
    /// The submunition it carries.
    pub submunition: &'static str,
    /// Country of origin.
    pub country: &'static str,
    /// Submunitions per carrier.
    pub submunitions: u64,
    /// Whether the submunitions have a self-destruct feature. The published
    /// failure rates of such munitions already count self-destruct
    /// failures, so the default model keeps `self_destruct = 0`.
    pub has_self_destruct: bool,
    /// Manufacturer or government claim, as published.
    pub claimed_dud_rate: &'static str,
    /// Test-range figures, as published.
    pub test_dud_rate: &'static str,
    /// Field figures, as published.
    pub field_dud_rate: &'static str,
    /// Published description of the footprint.
    pub footprint: &'static str,
    /// Footprint radius used by the spatial model, if one can be derived.
    pub footprint_radius_m: Option<f64>,
    /// How the footprint radius was derived.
    pub footprint_basis: &'static str,
    /// The dud rate used when a scenario does not give one.
    pub dud_rate: ProbDist,
    /// Why that distribution.
    pub dud_rate_basis: &'static str,
    /// Keys into [`SOURCES`].
    pub sources: &'static [&'static str],
}

/// The built-in munitions.
pub fn entries() -> &'static [CatalogEntry] {
    CATALOG
}

/// Looks a munition up by identifier (case-sensitive, as in scenario files).
pub fn find(id: &str) -> Option<&'static CatalogEntry> {
    CATALOG.iter().find(|m| m.id == id)
}

/// Looks a munition up by identifier whatever its case (`m864` finds
/// `M864`), for people typing at the command line.
pub fn find_any_case(id: &str) -> Option<&'static CatalogEntry> {
    find(id).or_else(|| {
        CATALOG
            .iter()
            .find(|m| m.id.eq_ignore_ascii_case(id.trim()))
    })
}

/// The catalog id a misspelt one most likely meant.
pub fn suggest(id: &str) -> Option<&'static str> {
    let ids: Vec<&'static str> = CATALOG.iter().map(|m| m.id).collect();
    super::document::closest(id, &ids)
}

const NO_FIGURE: &str = "none published";

static CATALOG: &[CatalogEntry] = &[
    CatalogEntry {
        id: "9M55K",
        carrier: "9M55K Smerch 300 mm cargo rocket",
        submunition: "9N235",
        country: "USSR/Russia",
        submunitions: 72,
        has_self_destruct: false,
        claimed_dud_rate: NO_FIGURE,
        test_dud_rate: NO_FIGURE,
        field_dud_rate: "30-40% (US officials, 2023, for Russian cluster munitions used in Ukraine; not type-specific)",
        footprint: NO_FIGURE,
        footprint_radius_m: Some(200.0),
        footprint_basis: "assumed: no published footprint; 200 m, the radius used in dudsim's specification",
        dud_rate: ProbDist::trusted(ProbShape::Uniform { lo: 0.30, hi: 0.40 }),
        dud_rate_basis: "the 30-40% stated by US officials in July 2023",
        sources: &["S4", "S9"],
    },
    CatalogEntry {
        id: "9M27K",
        carrier: "9M27K Uragan 220 mm cargo rocket",
        submunition: "9N210/9N235",
        country: "USSR/Russia",
        submunitions: 30,
        has_self_destruct: false,
        claimed_dud_rate: NO_FIGURE,
        test_dud_rate: NO_FIGURE,
        field_dud_rate: "30-40% (US officials, 2023, as for the 9M55K; not type-specific)",
        footprint: NO_FIGURE,
        footprint_radius_m: None,
        footprint_basis: "no published footprint",
        dud_rate: ProbDist::trusted(ProbShape::Uniform { lo: 0.30, hi: 0.40 }),
        dud_rate_basis: "the 30-40% stated by US officials in July 2023",
        sources: &["S4", "S9"],
    },
    CatalogEntry {
        id: "RBK-500-SHOAB",
        carrier: "RBK-500 bomb",
        submunition: "ShOAB-0.5",
        country: "USSR/Russia",
        submunitions: 565,
        has_self_destruct: false,
        claimed_dud_rate: NO_FIGURE,
        test_dud_rate: NO_FIGURE,
        field_dud_rate: "about 30% (Ukrainian humanitarian demining centre, 2024)",
        footprint: "hundreds of metres (UK MoD)",
        footprint_radius_m: Some(200.0),
        footprint_basis: "assumed: 200 m, the low end of \"hundreds of metres\"",
        dud_rate: ProbDist::trusted(ProbShape::Triangular {
            min: 0.20,
            mode: 0.30,
            max: 0.40,
        }),
        dud_rate_basis: "\"about 30%\": triangular 20-40% around it",
        sources: &["S10"],
    },
    CatalogEntry {
        id: "M864",
        carrier: "M864 155 mm base-bleed DPICM",
        submunition: "M42/M46",
        country: "US",
        submunitions: 72,
        has_self_destruct: false,
        claimed_dud_rate: "below 2.35% for lots sent to Ukraine (DoD, 2023; 2020 tests)",
        test_dud_rate: "6% (older DoD estimate); grenades rated 14% or more (Pentagon statements reported by NYT)",
        field_dud_rate: NO_FIGURE,
        footprint: "about 22,500 m2",
        footprint_radius_m: Some(85.0),
        footprint_basis: "a disk of 22,500 m2 has a radius of 85 m",
        dud_rate: ProbDist::trusted(ProbShape::Uniform {
            lo: 0.01,
            hi: 0.0235,
        }),
        dud_rate_basis: "the claim (below 2.35%) as an upper bound, with 1% below it: the lowest test-range rate published for a comparable modern DPICM (M85, Norway 2006)",
        sources: &["S3", "S4", "S5", "S6", "S8"],
    },
    CatalogEntry {
        id: "M483A1",
        carrier: "M483A1 155 mm DPICM",
        submunition: "M42/M46",
        country: "US",
        submunitions: 88,
        has_self_destruct: false,
        claimed_dud_rate: NO_FIGURE,
        test_dud_rate: "14% or more for the grenades (Pentagon statements reported by NYT)",
        field_dud_rate: "Lebanon 2006: 46,082 M42/M46 duds destroyed (33% of submunitions cleared; a count, not a rate)",
        footprint: NO_FIGURE,
        footprint_radius_m: None,
        footprint_basis: "no published footprint",
        dud_rate: ProbDist::trusted(ProbShape::Uniform { lo: 0.14, hi: 0.20 }),
        dud_rate_basis: "\"14% or more\": uniform 14-20% (the upper bound is an assumption)",
        sources: &["S1", "S5"],
    },
    CatalogEntry {
        id: "M26",
        carrier: "M26 MLRS rocket",
        submunition: "M77",
        country: "US",
        submunitions: 644,
        has_self_destruct: false,
        claimed_dud_rate: NO_FIGURE,
        test_dud_rate: "5-23% (HRW); 5-10% from 15 years of US tests (UK MoD)",
        field_dud_rate: "Lebanon 2006: 57,271 M77 duds cleared (41% of submunitions cleared; a count, not a rate)",
        footprint: "a 6-rocket volley (3,864 submunitions) over about 1 km radius",
        footprint_radius_m: Some(400.0),
        footprint_basis: "assumed: six rocket footprints tiling a 1 km-radius volley give about 400 m each",
        dud_rate: ProbDist::trusted(ProbShape::Uniform { lo: 0.05, hi: 0.23 }),
        dud_rate_basis: "the 5-23% range reported by HRW",
        sources: &["S1", "S2"],
    },
    CatalogEntry {
        id: "CBU-87",
        carrier: "CBU-87/CBU-103 bomb",
        submunition: "BLU-97",
        country: "US",
        submunitions: 202,
        has_self_destruct: false,
        claimed_dud_rate: "5% (USAF estimate)",
        test_dud_rate: NO_FIGURE,
        field_dud_rate: "Kosovo about 7% (UN mine action centre); Afghanistan 5% (USAF) to 22% (deminers)",
        footprint: "oval from 37 x 61 m to 123 x 244 m",
        footprint_radius_m: Some(60.0),
        footprint_basis: "disks of equal area to the published ovals have radii of 24 to 87 m; 60 m between them",
        dud_rate: ProbDist::trusted(ProbShape::Uniform { lo: 0.05, hi: 0.22 }),
        dud_rate_basis: "5% (USAF) to 22% (deminers in Afghanistan)",
        sources: &["S7"],
    },
    CatalogEntry {
        id: "CBU-26",
        carrier: "CBU-26 bomb",
        submunition: "BLU-26",
        country: "US",
        submunitions: 670,
        has_self_destruct: false,
        claimed_dud_rate: NO_FIGURE,
        test_dud_rate: NO_FIGURE,
        field_dud_rate: "10-30% (secondary source); Laos overall up to 30%",
        footprint: NO_FIGURE,
        footprint_radius_m: None,
        footprint_basis: "no published footprint",
        dud_rate: ProbDist::trusted(ProbShape::Uniform { lo: 0.10, hi: 0.30 }),
        dud_rate_basis: "the 10-30% field range",
        sources: &["S15", "S29"],
    },
    CatalogEntry {
        id: "CBU-58",
        carrier: "CBU-58 bomb",
        submunition: "BLU-63",
        country: "US",
        submunitions: 650,
        has_self_destruct: false,
        claimed_dud_rate: "specification: at least 95% must function",
        test_dud_rate: NO_FIGURE,
        field_dud_rate: "Lebanon (older use): up to 40%",
        footprint: NO_FIGURE,
        footprint_radius_m: None,
        footprint_basis: "no published footprint",
        dud_rate: ProbDist::trusted(ProbShape::Uniform { lo: 0.05, hi: 0.40 }),
        dud_rate_basis: "from the specification's 5% to the 40% seen in Lebanon",
        sources: &["S12", "S28"],
    },
    CatalogEntry {
        id: "BL755",
        carrier: "BL755 bomb",
        submunition: "BL755 bomblet",
        country: "UK",
        submunitions: 147,
        has_self_destruct: false,
        claimed_dud_rate: NO_FIGURE,
        test_dud_rate: "6% (UK MoD surveillance)",
        field_dud_rate: "up to 10% (Iraq 2003, press)",
        footprint: NO_FIGURE,
        footprint_radius_m: None,
        footprint_basis: "no published footprint",
        dud_rate: ProbDist::trusted(ProbShape::Uniform { lo: 0.06, hi: 0.10 }),
        dud_rate_basis: "6% (UK MoD tests) to 10% (Iraq 2003)",
        sources: &["S2", "S20", "S21"],
    },
    CatalogEntry {
        id: "M395",
        carrier: "M395 155 mm",
        submunition: "M85",
        country: "Israel",
        submunitions: 63,
        has_self_destruct: true,
        claimed_dud_rate: NO_FIGURE,
        test_dud_rate: "about 2% (UK MoD lifetime tests); 2.3% (UK 2005); 2.04% (Norway stockpile); just over 1% (Norway 2006 test, 9,408 fired); 0.2% (Finland)",
        field_dud_rate: "Lebanon 2006 about 10% (NPA/FFI study)",
        footprint: NO_FIGURE,
        footprint_radius_m: None,
        footprint_basis: "no published footprint",
        dud_rate: ProbDist::trusted(ProbShape::Uniform { lo: 0.01, hi: 0.10 }),
        dud_rate_basis: "from the 1% of the Norway 2006 test to the 10% seen in Lebanon; the figures already count self-destruct failures",
        sources: &["S2", "S8"],
    },
    CatalogEntry {
        id: "L20A1",
        carrier: "L20A1 155 mm ERBS",
        submunition: "M85",
        country: "UK",
        submunitions: 49,
        has_self_destruct: true,
        claimed_dud_rate: NO_FIGURE,
        test_dud_rate: "as M395 (same M85 submunition)",
        field_dud_rate: "as M395 (same M85 submunition)",
        footprint: NO_FIGURE,
        footprint_radius_m: None,
        footprint_basis: "no published footprint",
        dud_rate: ProbDist::trusted(ProbShape::Uniform { lo: 0.01, hi: 0.10 }),
        dud_rate_basis: "as M395: the figures already count self-destruct failures",
        sources: &["S2", "S8"],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cited_source_exists_and_ids_are_unique() {
        for (i, m) in entries().iter().enumerate() {
            for key in m.sources {
                assert!(source(key).is_some(), "{}: unknown source {key}", m.id);
            }
            assert!(entries()[..i].iter().all(|o| o.id != m.id));
        }
    }
}
