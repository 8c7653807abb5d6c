//! Golden values: the exact numbers one fixed seed gives, so that a change
//! in any sampler (ours, or rand / rand_distr after an update) is noticed.
//! A deliberate change of the sampled values (a new sampler, a new order of
//! draws) updates them, and says so in its commit.

use dudsim::Accumulator;

use crate::common::{collect, scenario};

/// Every kind of draw: beta and triangular rates, Poisson and uniform
/// carriers, lot variation, self-destruct, carriers' live duds from a
/// table (strike B) and one by one (strike A, with lot variation), the aftermath (competing risks,
/// a falling encounter hazard, clearance that ends) with random casualties
/// per encounter, and the spatial model.
const FILE: &str = r#"
[simulation]
seed = 424242
steps = 24
[[munition]]
id = "A"
submunitions = 72
dud_rate = { beta = [8, 30] }
self_destruct = { triangular = [0.1, 0.2, 0.5] }
lot_concentration = 40
footprint_radius_m = 120
[[munition]]
id = "B"
submunitions = 644
dud_rate = { triangular = [0.05, 0.1, 0.23] }
self_destruct = 0.5
footprint_radius_m = 300
[[scenario]]
name = "everything"
strikes = [
  { munition = "A", carriers = { poisson = 60 }, target = [400, 400, 900, 900], cep_m = 80 },
  { munition = "B", carriers = { uniform = [50, 90] }, target = [1000, 1000, 1200, 1200], cep_m = 150 },
]
[scenario.aftermath]
rate_unit = "month"
clearance_start = { uniform = [2, 6] }
clearance_end = 20
clearance_rate = { uniform = [0.01, 0.05] }
encounter_rate = { triangular = [0.0005, 0.002, 0.004] }
encounter_half_life = { uniform = [2, 8] }
encounter_floor = { triangular = [0.05, 0.1, 0.3] }
degradation_rate = 0.01
casualties_per_encounter = { uniform = [1, 3] }
[scenario.area]
width_m = 2000
height_m = 2000
cell_m = 25
[[scenario]]
name = "closed form"
strikes = [ { munition = "B", carriers = 40 } ]
[scenario.aftermath]
encounter_rate = 0.001
"#;

/// The sum of the values an accumulator saw.
fn total(acc: &Accumulator) -> u64 {
    (acc.mean() * acc.count() as f64).round() as u64
}

#[test]
fn a_fixed_seed_gives_the_recorded_numbers() {
    let file = scenario(FILE);
    let stats = collect(&file, 0..300);
    let mut got = Vec::new();
    for s in &stats.scenarios {
        let horizon = s.horizon().unwrap();
        got.push([
            total(&s.submunitions),
            total(&s.unexploded),
            total(&horizon.live),
            total(&horizon.cleared),
            total(&horizon.casualties),
            s.grid.as_ref().map_or(0, |g| g.uxo.iter().sum()),
            s.grid
                .as_ref()
                .map_or(0, |g| total(&g.contaminated_area) / g.areas.whole),
        ]);
    }
    let expected: Vec<[u64; 7]> = vec![GOLDEN_EVERYTHING, GOLDEN_CLOSED_FORM];
    assert_eq!(
        got, expected,
        "the sampled values changed; if that is intended, update the golden values"
    );
}

/// Per scenario: sums over the 300 replicates of submunitions fired, UXO,
/// live UXO, cleared and casualties at the horizon, UXO in the grid, and
/// contaminated cells.
const GOLDEN_EVERYTHING: [u64; 7] = [14610000, 1040497, 506240, 338156, 32677, 1040497, 400359];
const GOLDEN_CLOSED_FORM: [u64; 7] = [7728000, 503266, 491357, 0, 11909, 0, 0];

/// The aftermath on the map, every path of it: exposure, teams searching
/// by risk (three passes), sweeping (with degradation) and at random, and
/// clearance at a rate where no teams search.
fn map_file() -> String {
    let exposure = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/decision/village-exposure.asc");
    let aftermath = r#"
[scenario.aftermath]
rate_unit = "month"
clearance_start = { uniform = [3, 9] }
encounter_rate = { triangular = [0.0005, 0.002, 0.004] }
encounter_half_life = { uniform = [1.5, 3] }
encounter_floor = { uniform = [0.01, 0.05] }
casualties_per_encounter = { uniform = [1, 2] }
DEGRADATION
[scenario.area]
width_m = 5000
height_m = 5000
cell_m = 100
[scenario.exposure]
grid = "EXPOSURE"
"#
    .replace(
        "EXPOSURE",
        &exposure.display().to_string().replace('\\', "/"),
    );
    let strike = r#"strikes = [ { munition = "A", carriers = 40, target = [2000, 2000, 3000, 3000], cep_m = 150 } ]"#;
    let teams = |order: &str, passes: u32| {
        format!(
            "[scenario.clearance]\ncapacity_ha = {{ uniform = [8, 20] }}\n\
             detection = {{ uniform = [0.6, 0.95] }}\norder = \"{order}\"\npasses = {passes}\n"
        )
    };
    let mut text = String::from(
        "[simulation]\nseed = 77\nsteps = 36\nstep_unit = \"month\"\nmaps_at = [6, 36]\n\
         [[munition]]\nid = \"A\"\nsubmunitions = 72\ndud_rate = { uniform = [0.3, 0.4] }\n\
         footprint_radius_m = 200\n",
    );
    for (name, degradation, clearance) in [
        ("by risk", "", teams("risk", 3)),
        ("sweeping", "degradation_rate = 0.02", teams("sweep", 2)),
        ("at random", "", teams("random", 2)),
        (
            "at a rate",
            "degradation_rate = 0.01\nclearance_rate = 0.03\nclearance_end = 30",
            String::new(),
        ),
    ] {
        text.push_str(&format!("[[scenario]]\nname = \"{name}\"\n{strike}\n"));
        text.push_str(&aftermath.replace("DEGRADATION", degradation));
        text.push_str(&clearance);
    }
    text
}

#[test]
fn a_fixed_seed_gives_the_recorded_numbers_on_the_map() {
    let file = scenario(&map_file());
    let stats = collect(&file, 0..200);
    let mut got = Vec::new();
    for s in &stats.scenarios {
        let horizon = s.horizon().unwrap();
        let map = s.map.as_ref().unwrap();
        got.push([
            total(&horizon.live),
            total(&horizon.cleared),
            total(&horizon.encounters),
            total(&horizon.casualties),
            total(&map.casualties_averted),
            map.released_m2.last().map_or(0, total),
            map.residual.last().map_or(0, total),
            map.live_at.iter().map(|m| m.uxo.iter().sum::<u64>()).sum(),
            map.live_at
                .iter()
                .map(|m| m.hits.iter().map(|&h| u64::from(h)).sum::<u64>())
                .sum(),
            map.searched.iter().map(|&h| u64::from(h)).sum(),
            map.residual_hits.iter().map(|&h| u64::from(h)).sum(),
        ]);
    }
    let expected: Vec<[u64; 11]> = vec![
        GOLDEN_BY_RISK,
        GOLDEN_SWEEPING,
        GOLDEN_AT_RANDOM,
        GOLDEN_AT_A_RATE,
    ];
    assert_eq!(
        got, expected,
        "the sampled values changed; if that is intended, update the golden values"
    );
}

/// Per scenario: sums over the 200 replicates of live UXO, cleared,
/// encounters and casualties at the horizon, casualties averted, m²
/// released and live UXO in searched cells at the horizon, live UXO and
/// cells holding any at the mapped steps, cells searched, and searched
/// cells left holding UXO.
const GOLDEN_BY_RISK: [u64; 11] = [
    31498, 165881, 3451, 5163, 1232, 709910000, 31094, 215246, 50999, 70991, 16601,
];
const GOLDEN_SWEEPING: [u64; 11] = [
    21061, 102938, 3387, 5089, 304, 692530000, 18795, 195986, 46798, 69253, 14580,
];
const GOLDEN_AT_RANDOM: [u64; 11] = [
    54128, 144773, 4042, 6111, 667, 706100000, 36128, 249678, 55158, 70610, 17546,
];
const GOLDEN_AT_A_RATE: [u64; 11] = [65370, 86398, 3746, 5642, 459, 0, 0, 246371, 60503, 0, 0];
