#!/usr/bin/env python3
"""The dudsim model (docs/model.md) as an analyst would write it in NumPy.

This is the baseline dudsim is measured against: what a user would write
instead of running dudsim. It is vectorised over replicates (one array of
shape (R,) per quantity, no Python loop over replicates), uses one
`np.random.Generator` (PCG64) seeded with `--seed`, and loops in Python only
over munitions, strikes and aftermath steps.

It reads the subset of dudsim's scenario files that non-spatial scenarios
use ([simulation], [[munition]] with submunitions / dud_rate / self_destruct /
lot_concentration / base, catalog ids, [[scenario]] with strikes and
[scenario.aftermath]); it ignores `area`, `target`, `cep_m` and
`footprint_radius_m` (no spatial model). It does not validate the file the
way dudsim does: give it files dudsim accepts.

Output: the same JSON layout as dudsim's summary.json, without
`contaminated_area_m2`, on stdout or into `--out FILE`.

    python3 numpy_baseline.py SCENARIO.toml --replicates 100000 --seed 1

Requires numpy (`pip install numpy`) and Python 3.11+ (tomllib).
"""

import argparse
import json
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import numpy as np

DEFAULT_REPLICATES = 10_000
DEFAULT_SEED = 2026
DEFAULT_STEPS = 120

# The catalog entries a scenario may name (src/scenario/catalog.rs):
# submunitions per carrier and the default dud-rate distribution.
CATALOG = {
    "9M55K": (72, {"uniform": [0.30, 0.40]}),
    "9M27K": (30, {"uniform": [0.30, 0.40]}),
    "RBK-500-SHOAB": (565, {"triangular": [0.20, 0.30, 0.40]}),
    "M864": (72, {"uniform": [0.01, 0.0235]}),
    "M483A1": (88, {"uniform": [0.14, 0.20]}),
    "M26": (644, {"uniform": [0.05, 0.23]}),
    "CBU-87": (202, {"uniform": [0.05, 0.22]}),
    "CBU-26": (670, {"uniform": [0.10, 0.30]}),
    "CBU-58": (650, {"uniform": [0.05, 0.40]}),
    "BL755": (147, {"uniform": [0.06, 0.10]}),
    "M395": (63, {"uniform": [0.01, 0.10]}),
    "L20A1": (49, {"uniform": [0.01, 0.10]}),
}

# Units of time, in years: a month is 1/12 year, a week 7 days, a year
# 365.25 days.
UNIT_YEARS = {"day": 1 / 365.25, "week": 7 / 365.25, "month": 1 / 12,
              "quarter": 1 / 4, "year": 1.0}
LN2 = np.log(2.0)

QUANTILES = {"p05": 5, "p25": 25, "p50": 50, "p75": 75, "p95": 95, "p99": 99}

# Carriers drawn one by one (lot variation) are processed in blocks of
# replicates holding about this many carriers, to bound memory.
CARRIERS_PER_BLOCK = 4_000_000


# ---------------------------------------------------------------- sampling

def draw_prob(rng, spec, size):
    """R draws of a probability: a number or {fixed|uniform|triangular|beta}."""
    if isinstance(spec, (int, float)):
        return np.full(size, float(spec))
    (kind, v), = spec.items()
    if kind == "fixed":
        return np.full(size, float(v))
    if kind == "uniform":
        return rng.uniform(v[0], v[1], size)
    if kind == "triangular":
        if v[2] <= v[0]:
            return np.full(size, float(v[0]))
        return rng.triangular(v[0], v[1], v[2], size)
    if kind == "beta":
        return rng.beta(v[0], v[1], size)
    raise ValueError(f"unknown distribution {kind}")


def draw_count(rng, spec, size):
    """R draws of a count: an integer or {fixed|poisson|uniform}."""
    if isinstance(spec, int):
        return np.full(size, spec, dtype=np.int64)
    (kind, v), = spec.items()
    if kind == "fixed":
        return np.full(size, int(v), dtype=np.int64)
    if kind == "poisson":
        return rng.poisson(v, size).astype(np.int64)
    if kind == "uniform":
        return rng.integers(v[0], v[1], size, endpoint=True, dtype=np.int64)
    raise ValueError(f"unknown count distribution {kind}")


def draw_duration(rng, spec, size):
    """R draws of a duration in rate units: a number or a count distribution."""
    if isinstance(spec, (int, float)):
        return np.full(size, float(spec))
    return draw_count(rng, spec, size).astype(float)


def to_steps(units, delta):
    """Durations in rate units as whole steps of `delta` rate units (dudsim
    only accepts durations on step boundaries)."""
    return np.rint(units / delta)


def intensity(rate):
    """The intensity -ln(1 - r) of a cause removing a UXO with chance r per unit."""
    with np.errstate(divide="ignore"):
        return -np.log1p(-rate)


def step_probabilities(pvals, Lc, Le, Ld):
    """Fills pvals (R x 4: cleared, encountered, degraded, still live) from
    the causes' integrated intensities over a step: a UXO leaves with chance
    1 - exp(-(Lc + Le + Ld)), split by the intensities' shares. Causes of
    infinite intensity (rates of 1) share the leavers equally."""
    total = Lc + Le + Ld
    leave = -np.expm1(-total)
    with np.errstate(invalid="ignore"):
        scale = np.where(total > 0, leave / total, 0.0)
        pvals[:, 0] = scale * Lc
        pvals[:, 1] = scale * Le
        pvals[:, 2] = scale * Ld
    pvals[:, 3] = 1.0 - leave
    certain = np.isinf(total)
    if certain.any():
        infinite = np.isinf(np.stack([Lc, Le, Ld], axis=1)[certain])
        pvals[certain, :3] = infinite / infinite.sum(axis=1, keepdims=True)
        pvals[certain, 3] = 0.0


def sum_of_counts(rng, spec, n):
    """For each replicate, the sum of n[r] independent draws of a count."""
    if isinstance(spec, int):
        return spec * n
    (kind, v), = spec.items()
    if kind == "fixed":
        return int(v) * n
    if kind == "poisson":  # a sum of Poissons is Poisson
        return rng.poisson(v * n).astype(np.int64)
    if kind == "uniform":  # how many draws take each value: a multinomial
        values = np.arange(v[0], v[1] + 1)
        pvals = np.full(len(values), 1.0 / len(values))
        return rng.multinomial(n, pvals) @ values
    raise ValueError(f"unknown count distribution {kind}")


# ---------------------------------------------------------------- scenario

def load_munitions(doc):
    """Munition id -> (submunitions, dud_rate, self_destruct, lot_concentration)."""
    munitions = {
        mid: (n, dud, 0.0, None) for mid, (n, dud) in CATALOG.items()
    }
    for m in doc.get("munition", []):
        base = CATALOG.get(m.get("base", m["id"]))
        munitions[m["id"]] = (
            m["submunitions"] if "submunitions" in m else base[0],
            m["dud_rate"] if "dud_rate" in m else base[1],
            m.get("self_destruct", 0.0),
            m.get("lot_concentration"),
        )
    return munitions


def duds_per_carrier(rng, n, dud_rate, carriers, kappa):
    """Duds of each replicate when every carrier has its own Beta rate
    (lot variation): Beta per carrier, then Binomial(n, p) per carrier."""
    R = len(carriers)
    duds = np.zeros(R, dtype=np.int64)
    mean_carriers = max(1.0, float(carriers.mean()))
    block = max(1, int(CARRIERS_PER_BLOCK / mean_carriers))
    for lo in range(0, R, block):
        c = carriers[lo:lo + block]
        d = dud_rate[lo:lo + block]
        owner = np.repeat(np.arange(len(c)), c)
        p = d[owner]
        varied = (p > 0.0) & (p < 1.0)
        p[varied] = rng.beta(kappa * p[varied], kappa * (1.0 - p[varied]))
        x = rng.binomial(n, p)
        duds[lo:lo + block] = np.bincount(owner, weights=x, minlength=len(c)).astype(np.int64)
    return duds


def simulate_scenario(rng, scenario, munitions, R, steps, step_unit):
    """One scenario, all replicates at once. Returns a dict of arrays."""
    used = []
    for strike in scenario["strikes"]:
        if strike["munition"] not in used:
            used.append(strike["munition"])
    # Conflict-wide rates, once per munition per replicate.
    dud = {m: draw_prob(rng, munitions[m][1], R) for m in used}
    sd = {m: draw_prob(rng, munitions[m][2], R) for m in used}

    # Carriers and their duds.
    submunitions = np.zeros(R, dtype=np.int64)
    fired = {m: np.zeros(R, dtype=np.int64) for m in used}
    duds = {m: np.zeros(R, dtype=np.int64) for m in used}
    for strike in scenario["strikes"]:
        m = strike["munition"]
        n, _, _, kappa = munitions[m]
        carriers = draw_count(rng, strike["carriers"], R)
        fired[m] += carriers * n
        submunitions += carriers * n
        if kappa is not None:
            duds[m] += duds_per_carrier(rng, n, dud[m], carriers, kappa)
    unexploded = np.zeros(R, dtype=np.int64)
    for m in used:
        if munitions[m][3] is not None:
            unexploded += rng.binomial(duds[m], 1.0 - sd[m])
        else:  # the closed form: one binomial for all carriers
            unexploded += rng.binomial(fired[m], dud[m] * (1.0 - sd[m]))

    out = {"submunitions": submunitions, "unexploded": unexploded}
    after = scenario.get("aftermath")
    if after is None or steps == 0:
        return out

    # The aftermath: competing risks in continuous time. A rate r is the
    # chance that its cause alone removes a UXO within one rate unit, so its
    # intensity is -ln(1 - r) per unit; a step lasts `delta` rate units.
    rate_unit = after.get("rate_unit", step_unit)
    delta = UNIT_YEARS[step_unit] / UNIT_YEARS[rate_unit]
    start = to_steps(draw_duration(rng, after.get("clearance_start", 0), R), delta)
    lam_c = intensity(draw_prob(rng, after.get("clearance_rate", 0.0), R))
    lam_e0 = intensity(draw_prob(rng, after.get("encounter_rate", 0.0), R))
    lam_d = intensity(draw_prob(rng, after.get("degradation_rate", 0.0), R))
    if "clearance_end" in after:
        end = to_steps(draw_duration(rng, after["clearance_end"], R), delta)
    else:
        end = np.full(R, np.inf)
    falls = "encounter_half_life" in after
    if falls:
        half_life = draw_prob(rng, after["encounter_half_life"], R)
        floor = draw_prob(rng, after.get("encounter_floor", 0.0), R)
    per_encounter = after.get("casualties_per_encounter", 1)

    live = unexploded.copy()
    cleared = np.zeros(R, dtype=np.int64)
    encounters = np.zeros(R, dtype=np.int64)
    casualties = np.zeros(R, dtype=np.int64)
    series = {k: np.empty((steps, R), dtype=np.int64)
              for k in ("live", "cleared", "encounters", "casualties")}
    pvals = np.empty((R, 4))
    Lc_clearing, Ld, Le = lam_c * delta, lam_d * delta, lam_e0 * delta
    certain_encounters = np.isinf(lam_e0)  # rate 1: infinite however it falls
    remaining = np.ones(R)  # 2^(-s/H) at the start of the step
    for t in range(1, steps + 1):
        # Integrated intensities over the step, s in ((t-1)*delta, t*delta].
        Lc = np.where((t > start) & (t <= end), Lc_clearing, 0.0)
        if falls:
            # The exact integral of lam_e0 * (floor + (1 - floor) * 2^(-s/H)).
            next_remaining = np.exp2(-t * delta / half_life)
            with np.errstate(invalid="ignore"):
                Le = lam_e0 * (floor * delta
                               + (1.0 - floor) * half_life / LN2 * (remaining - next_remaining))
            Le[certain_encounters] = np.inf
            remaining = next_remaining
        step_probabilities(pvals, Lc, Le, Ld)
        counts = rng.multinomial(live, pvals)
        cleared += counts[:, 0]
        encounters += counts[:, 1]
        casualties += sum_of_counts(rng, per_encounter, counts[:, 1])
        live = counts[:, 3]
        series["live"][t - 1] = live
        series["cleared"][t - 1] = cleared
        series["encounters"][t - 1] = encounters
        series["casualties"][t - 1] = casualties
    out.update(series)
    return out


# ---------------------------------------------------------------- statistics

def summarise(x):
    """S = {mean, sd, se, min, max, p05 ... p99} of x along its last axis;
    quantiles by the inverse of the empirical distribution function."""
    R = x.shape[-1]
    mean = x.mean(axis=-1)
    sd = x.std(axis=-1, ddof=1) if R > 1 else np.zeros_like(mean)
    q = np.percentile(x, list(QUANTILES.values()), axis=-1, method="inverted_cdf")
    cols = {
        "mean": mean, "sd": sd, "se": sd / np.sqrt(R),
        "min": x.min(axis=-1), "max": x.max(axis=-1),
    }
    cols.update({name: q[i] for i, name in enumerate(QUANTILES)})
    if x.ndim == 1:
        return {k: float(v) for k, v in cols.items()}
    return [{k: float(v[i]) for k, v in cols.items()} for i in range(x.shape[0])]


def summary_of(name, sim, steps):
    scenario = {
        "name": name,
        "submunitions": summarise(sim["submunitions"]),
        "unexploded": summarise(sim["unexploded"]),
        "timeline": [],
    }
    if "live" in sim:
        per_series = {k: summarise(sim[k]) for k in ("live", "cleared", "encounters", "casualties")}
        scenario["timeline"] = [
            {"step": t + 1, **{k: per_series[k][t] for k in per_series}}
            for t in range(steps)
        ]
    return scenario


# ---------------------------------------------------------------- main

def checked_steps(steps):
    """The steps whose per-replicate values --dump-npz saves: a tenth of the
    horizon (early, while a falling hazard still falls) and the horizon."""
    return sorted({max(1, steps // 10), steps})


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", nargs="?",
                    help="scenario TOML (default: the output of `DUDSIM example`)")
    ap.add_argument("--replicates", type=int, help="overrides the file")
    ap.add_argument("--seed", type=int, help="overrides the file")
    ap.add_argument("--out", help="write the JSON here instead of stdout")
    ap.add_argument("--dudsim", default="target/release/dudsim",
                    help="dudsim binary, only to get the default scenario")
    ap.add_argument("--dump-npz", metavar="FILE",
                    help="also save unexploded, and live and casualties at a tenth "
                         "of the horizon and at the horizon, per replicate (for "
                         "compare.py's quantile checks)")
    ap.add_argument("--timings", action="store_true",
                    help="print simulation and statistics times on stderr")
    args = ap.parse_args()

    if args.scenario:
        text = Path(args.scenario).read_text()
    else:
        text = subprocess.run([args.dudsim, "example"], check=True,
                              capture_output=True, text=True).stdout
    doc = tomllib.loads(text)
    sim_cfg = doc.get("simulation", {})
    R = args.replicates or sim_cfg.get("replicates", DEFAULT_REPLICATES)
    seed = args.seed if args.seed is not None else sim_cfg.get("seed", DEFAULT_SEED)
    steps = sim_cfg.get("steps", DEFAULT_STEPS)
    step_unit = sim_cfg.get("step_unit", "month")
    munitions = load_munitions(doc)
    rng = np.random.Generator(np.random.PCG64(seed))

    scenarios, dump = [], {}
    t_sim = t_stats = 0.0
    for i, sc in enumerate(doc["scenario"]):
        t0 = time.perf_counter()
        sim = simulate_scenario(rng, sc, munitions, R, steps, step_unit)
        t1 = time.perf_counter()
        scenarios.append(summary_of(sc["name"], sim, steps))
        t2 = time.perf_counter()
        t_sim += t1 - t0
        t_stats += t2 - t1
        dump[f"s{i}_unexploded"] = sim["unexploded"]
        if "live" in sim:
            for t in checked_steps(steps):
                dump[f"s{i}_live@{t}"] = sim["live"][t - 1]
                dump[f"s{i}_casualties@{t}"] = sim["casualties"][t - 1]

    summary = {
        "seed": seed,
        "replicates": R,
        "scenarios": scenarios,
        "title": doc.get("title", "dudsim scenario"),
        "step_unit": step_unit,
        "generator": f"numpy {np.__version__} PCG64 baseline",
    }
    text = json.dumps(summary, indent=2)
    if args.out:
        Path(args.out).write_text(text + "\n")
    else:
        print(text)
    if args.dump_npz:
        np.savez(args.dump_npz, **dump)
    if args.timings:
        print(f"simulation {t_sim:.3f} s, statistics {t_stats:.3f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
