//! Micro-benchmarks of the exact samplers against rand_distr.
//!
//! `cargo bench --bench samplers`; medians are in
//! `target/criterion/<group>/<bench>/new/estimates.json`.
//!
//! - `binomial`: ns per draw, n and p passed opaquely so that rand_distr
//!   builds its distribution on every draw, as the engine needs (n and p
//!   change on every call in the aftermath chain).
//! - `aftermath_chain`: ns per step of the aftermath's chain of binomials.
//! - `inversion_vs_btrs`: the two algorithms around the switch-over mean.
//! - `lot_variation`: one replicate's duds of `carriers` carriers with
//!   lot variation (throughput = carriers, so criterion also reports the
//!   cost per carrier), ours against the literal Beta + Binomial per carrier.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use dudsim::sampling::{
    AliasTable, BetaBinomialPmf, CarrierDuds, beta_binomial_total, binomial, btrs, inversion,
};
use rand::SeedableRng;
use rand_distr::Distribution;
use rand_xoshiro::Xoshiro256PlusPlus;

fn rng() -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(2026)
}

fn binomial_draws(c: &mut Criterion) {
    let mut group = c.benchmark_group("binomial");
    for (n, p) in [
        (72u64, 0.35),
        (25_000, 0.012),
        (25_000, 0.0004),
        (1_000_000_000, 0.3),
        (644, 0.05),
        (10_000, 0.0001),
    ] {
        let label = format!("{n},{p}");
        let mut r = rng();
        group.bench_function(BenchmarkId::new("ours", &label), |b| {
            b.iter(|| binomial(&mut r, black_box(n), black_box(p)))
        });
        let mut r = rng();
        group.bench_function(BenchmarkId::new("rand_distr", &label), |b| {
            b.iter(|| {
                rand_distr::Binomial::new(black_box(n), black_box(p))
                    .unwrap()
                    .sample(&mut r)
            })
        });
    }
    group.finish();
}

/// 120 steps of the aftermath's chain of binomials as replicate.rs draws it
/// (3 conditional binomials per step; degradation 0, clearance from step
/// 13); throughput = steps.
fn aftermath_chain(c: &mut Criterion) {
    let mut group = c.benchmark_group("aftermath_chain");
    group.throughput(Throughput::Elements(120));
    fn chain(draw: &mut impl FnMut(u64, f64) -> u64, live0: u64) -> u64 {
        let (clearance, encounter, degradation) = (0.012, 0.0004, 0.0);
        let mut live = live0;
        let mut total = 0;
        for t in 1..=120u64 {
            let clear: f64 = if t > 12 { clearance } else { 0.0 };
            let cleared = draw(live, clear);
            live -= cleared;
            let encounters = draw(live, (encounter / (1.0 - clear)).min(1.0));
            live -= encounters;
            let degraded = draw(live, (degradation / (1.0 - clear - encounter)).min(1.0));
            live -= degraded;
            total += encounters;
        }
        total + live
    }
    // 8,000 live UXO (the default scenario's 9M55K) and 3.5e8 (a
    // Laos-scale count): the cost per step must not grow with the count.
    for live0 in [8000u64, 350_000_000] {
        let mut r = rng();
        group.bench_function(BenchmarkId::new("ours", live0), |b| {
            b.iter(|| chain(&mut |n, p| binomial(&mut r, n, p), black_box(live0)))
        });
        let mut r = rng();
        group.bench_function(BenchmarkId::new("rand_distr", live0), |b| {
            b.iter(|| {
                chain(
                    &mut |n, p| {
                        if n == 0 || p <= 0.0 {
                            0
                        } else {
                            rand_distr::Binomial::new(n, p).unwrap().sample(&mut r)
                        }
                    },
                    black_box(live0),
                )
            })
        });
    }
    group.finish();
}

fn inversion_vs_btrs(c: &mut Criterion) {
    let mut group = c.benchmark_group("inversion_vs_btrs");
    let n = 100_000u64;
    for mean in [1.0, 4.0, 10.0, 12.0, 14.0, 16.0, 20.0] {
        let p = mean / n as f64;
        let mut r = rng();
        group.bench_function(BenchmarkId::new("inversion", mean), |b| {
            b.iter(|| inversion(&mut r, black_box(n), black_box(p)))
        });
        if mean >= 10.0 {
            let mut r = rng();
            group.bench_function(BenchmarkId::new("btrs", mean), |b| {
                b.iter(|| btrs(&mut r, black_box(n), black_box(p)))
            });
        }
    }
    group.finish();
}

fn lot_variation(c: &mut Criterion) {
    let mut group = c.benchmark_group("lot_variation");
    let kappa = 100.0;
    for (n, d, carriers) in [
        (72u64, 0.35, 1000u64),
        (72, 0.02, 1000),
        (72, 0.35, 100),
        (644, 0.05, 1000),
    ] {
        let (alpha, beta) = (kappa * d, kappa * (1.0 - d));
        let label = format!("n{n},D{d},c{carriers}");
        group.throughput(Throughput::Elements(carriers));
        let mut r = rng();
        group.bench_function(BenchmarkId::new("beta+binomial_rand_distr", &label), |b| {
            b.iter(|| {
                let beta = rand_distr::Beta::new(black_box(alpha), black_box(beta)).unwrap();
                let mut duds = 0;
                for _ in 0..carriers {
                    let p = beta.sample(&mut r);
                    duds += rand_distr::Binomial::new(n, p).unwrap().sample(&mut r);
                }
                duds
            })
        });
        let mut r = rng();
        group.bench_function(BenchmarkId::new("beta_binomial_total", &label), |b| {
            b.iter(|| beta_binomial_total(&mut r, black_box(n), alpha, beta, carriers))
        });
        let mut r = rng();
        group.bench_function(BenchmarkId::new("multinomial_total", &label), |b| {
            b.iter(|| {
                BetaBinomialPmf::new(black_box(n), alpha, beta).sample_total(&mut r, carriers)
            })
        });
        let mut r = rng();
        group.bench_function(BenchmarkId::new("alias_per_carrier", &label), |b| {
            b.iter(|| {
                let duds = CarrierDuds::new(black_box(n), alpha, beta, 1 << 40);
                (0..carriers).map(|_| duds.sample(&mut r)).sum::<u64>()
            })
        });
        let mut r = rng();
        group.bench_function(BenchmarkId::new("direct_per_carrier", &label), |b| {
            b.iter(|| {
                let duds = CarrierDuds::new(black_box(n), alpha, beta, 0);
                (0..carriers).map(|_| duds.sample(&mut r)).sum::<u64>()
            })
        });
    }
    group.finish();

    // Set-up costs behind the method choice in beta_binomial_total.
    let mut group = c.benchmark_group("lot_setup");
    for n in [72u64, 644] {
        let (alpha, beta) = (35.0, 65.0);
        group.throughput(Throughput::Elements(n + 1));
        group.bench_function(BenchmarkId::new("pmf", n), |b| {
            b.iter(|| BetaBinomialPmf::new(black_box(n), alpha, beta))
        });
        let pmf = BetaBinomialPmf::new(n, alpha, beta);
        group.bench_function(BenchmarkId::new("alias_build", n), |b| {
            b.iter(|| AliasTable::new(black_box(pmf.probabilities())))
        });
    }
    let table = AliasTable::new(BetaBinomialPmf::new(72, 35.0, 65.0).probabilities());
    let mut r = rng();
    group.throughput(Throughput::Elements(1));
    group.bench_function("alias_draw", |b| b.iter(|| table.sample(&mut r)));

    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

criterion_group! {
    name = benches;
    config = config();
    targets = binomial_draws, aftermath_chain, inversion_vs_btrs, lot_variation
}
criterion_main!(benches);
