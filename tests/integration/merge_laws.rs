//! The merge laws of the public statistics, on random data and random
//! scenarios: merging is associative and commutative, has the empty
//! statistics as identity, and equals recording everything in one go.
//! These laws are what make results independent of the thread count and
//! of sharding. (The histogram, the grid statistics and the sensitivity
//! sums, which are internal, have the same tests beside their code.)

use dudsim::{Accumulator, Engine, RunSettings, RunStats};
use proptest::prelude::*;

use crate::common::{proptest_config, scenario};

/// Integer values of every magnitude: small exact ones, narrow clusters
/// far from zero, and anything up to `u64::MAX`, so that the histogram's
/// buckets widen and move between its two halves.
fn value() -> impl Strategy<Value = u64> {
    prop_oneof![
        0u64..300,
        (0u32..50, 0u64..5_000).prop_map(|(octave, offset)| (3u64 << octave) + offset),
        (any::<u64>(), 0u32..64).prop_map(|(v, shift)| v >> shift),
        Just(u64::MAX),
    ]
}

/// Up to `n` values.
fn values(n: usize) -> impl Strategy<Value = Vec<u64>> {
    prop::collection::vec(value(), 0..n)
}

fn accumulator(values: &[u64]) -> Accumulator {
    let mut acc = Accumulator::default();
    acc.record_all(values.iter().copied());
    acc
}

fn merged(a: &Accumulator, b: &Accumulator) -> Accumulator {
    let mut out = a.clone();
    out.merge(b);
    out
}

proptest! {
    #![proptest_config(proptest_config(96))]

    #[test]
    fn accumulators_merge_associatively_commutatively_and_as_one(
        a in values(120),
        b in values(120),
        c in values(120),
    ) {
        let (x, y, z) = (accumulator(&a), accumulator(&b), accumulator(&c));
        let all: Vec<u64> = a.iter().chain(&b).chain(&c).copied().collect();
        let whole = accumulator(&all);
        prop_assert_eq!(&merged(&merged(&x, &y), &z), &whole);
        prop_assert_eq!(&merged(&x, &merged(&y, &z)), &whole);
        prop_assert_eq!(&merged(&merged(&z, &x), &y), &whole);
        prop_assert_eq!(merged(&x, &y), merged(&y, &x));
        prop_assert_eq!(&merged(&x, &Accumulator::default()), &x);
        prop_assert_eq!(&merged(&Accumulator::default(), &x), &x);
        // One by one, in another order, gives the same too.
        let mut one_by_one = Accumulator::default();
        all.iter().rev().for_each(|&v| one_by_one.record(v));
        prop_assert_eq!(&one_by_one, &whole);
        prop_assert_eq!(whole.count(), all.len() as u64);
        prop_assert_eq!(whole.sum(), all.iter().map(|&v| u128::from(v)).sum::<u128>());
    }
}

/// A probability distribution as a scenario file writes it, valid, with
/// values up to `max`: fixed, uniform or triangular.
fn probability(max: f64) -> impl Strategy<Value = String> {
    let p = move || 0.0..=max;
    prop_oneof![
        p().prop_map(|p| format!("{p}")),
        (p(), p()).prop_map(|(a, b)| format!("{{ uniform = [{}, {}] }}", a.min(b), a.max(b))),
        (p(), p(), p()).prop_map(|(a, b, c)| {
            let mut v = [a, b, c];
            v.sort_by(f64::total_cmp);
            format!("{{ triangular = [{}, {}, {}] }}", v[0], v[1], v[2])
        }),
    ]
}

/// Any valid probability distribution, beta included.
fn rate() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => probability(1.0),
        1 => (0.01..50.0f64, 0.01..50.0f64).prop_map(|(a, b)| format!("{{ beta = [{a}, {b}] }}")),
    ]
}

/// A count as a scenario file writes it, valid and small.
fn count(max: u64) -> impl Strategy<Value = String> {
    prop_oneof![
        (0..=max).prop_map(|n| n.to_string()),
        (0.0..max as f64).prop_map(|mean| format!("{{ poisson = {mean} }}")),
        (0..=max, 0..=max).prop_map(|(a, b)| format!(
            "{{ uniform = [{}, {}] }}",
            a.min(b),
            a.max(b)
        )),
    ]
}

/// One strike of a munition with `footprint`, aimed inside a 500 m square
/// area when `mapped`.
fn strike(munition: &'static str, mapped: bool) -> impl Strategy<Value = String> {
    (
        count(30),
        0.0..450.0f64,
        0.0..450.0f64,
        0.0..50.0f64,
        0.0..100.0f64,
    )
        .prop_map(move |(carriers, x, y, size, cep)| {
            if mapped {
                format!(
                    "{{ munition = \"{munition}\", carriers = {carriers}, \
                     target = [{x}, {y}, {}, {}], cep_m = {cep} }}",
                    x + size,
                    y + size
                )
            } else {
                format!("{{ munition = \"{munition}\", carriers = {carriers} }}")
            }
        })
}

/// A small scenario file with one or two scenarios: random dud rates, lot
/// variation, self-destruct, carriers, an aftermath of a few steps, and
/// an area with cells that may not divide it.
fn small_file() -> impl Strategy<Value = String> {
    let munition = (
        1u64..80,
        rate(),
        rate(),
        prop::option::of(0.5..100.0f64),
        10.0..150.0f64,
    )
        .prop_map(|(n, dud_rate, self_destruct, kappa, radius)| {
            let lots = kappa.map_or(String::new(), |k| format!("lot_concentration = {k}\n"));
            format!(
                "[[munition]]\nid = \"M\"\nsubmunitions = {n}\ndud_rate = {dud_rate}\n\
                 self_destruct = {self_destruct}\n{lots}footprint_radius_m = {radius}\n"
            )
        });
    // Hazards may not sum above 1: at most one half each.
    let aftermath =
        prop::option::of((probability(0.5), probability(0.5), count(3))).prop_map(|a| {
            a.map_or(String::new(), |(clearance, encounter, casualties)| {
                format!(
                    "[scenario.aftermath]\nclearance_rate = {clearance}\n\
                 encounter_rate = {encounter}\ncasualties_per_encounter = {casualties}\n"
                )
            })
        });
    (
        0u32..5,
        munition,
        any::<bool>(),
        strike("M", true),
        strike("9M55K", false),
        aftermath,
        37.0..200.0f64,
    )
        .prop_map(
            |(steps, munition, mapped, mapped_strike, plain_strike, aftermath, cell)| {
                let mut text = format!("[simulation]\nseed = 5\nsteps = {steps}\n{munition}");
                if mapped {
                    text.push_str(&format!(
                        "[[scenario]]\nname = \"mapped\"\nstrikes = [ {mapped_strike} ]\n\
                         {aftermath}[scenario.area]\nwidth_m = 500\nheight_m = 500\n\
                         cell_m = {cell}\n"
                    ));
                }
                text.push_str(&format!(
                    "[[scenario]]\nname = \"counts\"\nstrikes = [ {plain_strike} ]\n{aftermath}"
                ));
                text
            },
        )
}

fn merged_stats(a: &RunStats, b: &RunStats) -> RunStats {
    let mut out = a.clone();
    out.merge(b);
    out
}

proptest! {
    #![proptest_config(proptest_config(40))]

    #[test]
    fn run_statistics_of_disjoint_ranges_merge_into_one_run(
        text in small_file(),
        replicates in 1u64..700,
        cuts in (0.0..=1.0f64, 0.0..=1.0f64),
    ) {
        let file = scenario(&text);
        let engine = Engine::new(&file, &RunSettings::from_file(&file));
        let (a, b) = (cuts.0.min(cuts.1), cuts.0.max(cuts.1));
        let (a, b) = ((a * replicates as f64) as u64, (b * replicates as f64) as u64);
        let collect = |range| RunStats::collect(&engine, range, &|_| {});
        let whole = collect(0..replicates);
        let (x, y, z) = (collect(0..a), collect(a..b), collect(b..replicates));
        prop_assert_eq!(&merged_stats(&merged_stats(&x, &y), &z), &whole);
        prop_assert_eq!(&merged_stats(&x, &merged_stats(&y, &z)), &whole);
        prop_assert_eq!(&merged_stats(&merged_stats(&z, &y), &x), &whole);
        prop_assert_eq!(merged_stats(&x, &y), merged_stats(&y, &x));
        prop_assert_eq!(&merged_stats(&RunStats::default(), &whole), &whole);
        prop_assert_eq!(&merged_stats(&RunStats::empty(&engine), &whole), &whole);
        prop_assert_eq!(whole.replicates(), replicates);
    }
}
