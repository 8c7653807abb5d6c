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

#[test]
fn a_fixed_seed_gives_the_recorded_numbers() {
    let file = scenario(FILE);
    let stats = collect(&file, 0..300);
    let total = |acc: &Accumulator| (acc.mean() * acc.count() as f64).round() as u64;
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
