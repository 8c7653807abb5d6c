#!/usr/bin/env python3
"""Run dudsim and the NumPy baseline on the same scenario at equal replicates;
check that they agree and compare their wall times.

    python3 benches/baseline/compare.py --replicates 100000 [--runs 5]
        [--scenario FILE] [--dudsim target/release/dudsim] [--seed 1]

The two programs are run alternately `--runs` times each (dudsim, numpy,
dudsim, numpy, ...), each as a fresh process, and timed by wall clock from
start to exit (so both include start-up, reading the scenario and writing
their JSON; dudsim also writes its CSV/chart files unless `--no-charts`
exists, in which case it is passed). Both use the same seed; their
generators differ, so their results are independent samples of the model.

Agreement (per scenario, at two steps of the aftermath: a tenth of the
horizon, while a falling encounter hazard still falls, and the horizon):

* Means of submunitions fired, UXO (`unexploded`), live UXO and cumulative
  casualties at each of the two steps: the difference divided by the
  standard error of a difference of two independent means,
  sqrt(se_dudsim^2 + se_numpy^2), must be at most Z = 5 in absolute value.

* p05, p50 and p95 of the same UXO/live/casualty quantities: a
  distribution-free order-statistic test. By the Bahadur representation a
  sample q-quantile is F^-1(q + e) with e ~ N(0, q(1-q)/R); two independent
  estimates therefore agree at Z sigma when dudsim's quantile lies between
  the baseline's own sample quantiles at q -/+ d, with
  d = Z * sqrt(q(1-q) * (1/R_dudsim + 1/R_numpy)). The baseline saves its
  per-replicate values (`--dump-npz`) so these order statistics are exact.
  This holds for discrete distributions (small casualty counts with ties)
  where a density-based SE would not. dudsim's documented quantile accuracy lets it report quantiles
  with a relative error of up to 0.5%, so the band is widened by 0.5% of
  its ends. The "diff/SE" column shows the difference over the SE implied
  by that band, SE_q = (band width) / (2 Z); OK/FAIL is decided by the band.

Exit status 0 when every check passes, 1 when one fails, 2 on bad usage.
Needs numpy (`pip install numpy`).
"""

import argparse
import json
import math
import os
import statistics
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
Z = 5.0
QUANTILE_ALLOWANCE = 0.005  # quantiles may be approximate (<= 0.5%, README)
QUANTILES = [("p05", 0.05), ("p50", 0.50), ("p95", 0.95)]


def run_timed(cmd):
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
    return elapsed, proc.stdout


def mean_check(a, b):
    """z of the difference of two independent means."""
    diff = a["mean"] - b["mean"]
    se = math.hypot(a["se"], b["se"])
    if se == 0:
        z = 0.0 if abs(diff) <= 1e-9 * max(1.0, abs(b["mean"])) else math.inf
    else:
        z = diff / se
    return z, Z, abs(z) <= Z


def quantile_check(value, q, raw, r_dudsim):
    """Order-statistic band of the baseline's sample at q -/+ d (see above)."""
    d = Z * math.sqrt(q * (1 - q) * (1 / r_dudsim + 1 / len(raw)))
    lo, mid, hi = np.quantile(raw, [max(0.0, q - d), q, min(1.0, q + d)],
                              method="inverted_cdf")
    ok = lo * (1 - QUANTILE_ALLOWANCE) <= value <= hi * (1 + QUANTILE_ALLOWANCE)
    se = (hi - lo) / (2 * Z)
    diff = value - mid
    # The band's edge on the side of the difference, in units of se.
    edge = hi * (1 + QUANTILE_ALLOWANCE) - mid if diff >= 0 else mid - lo * (1 - QUANTILE_ALLOWANCE)
    if se > 0:
        z, limit = diff / se, edge / se
    else:
        # A band of zero width (ties): only the allowance is left; no SE.
        z = 0.0 if diff == 0 else math.copysign(math.inf, diff)
        limit = math.nan
    return z, limit, ok


def main():
    ap = argparse.ArgumentParser(
        description="dudsim against the NumPy baseline: agreement and wall time")
    ap.add_argument("--replicates", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scenario", help="scenario TOML (default: `dudsim example` without its areas)")
    ap.add_argument("--dudsim", default=str(REPO / "target" / "release" / "dudsim"))
    ap.add_argument("--threads", type=int,
                    help="pass --threads to dudsim (default: dudsim's own, all cores)")
    args = ap.parse_args()
    if args.replicates < 2 or args.runs < 1:
        ap.error("need --replicates >= 2 and --runs >= 1")
    if not Path(args.dudsim).is_file():
        ap.error(f"{args.dudsim} not found: run `cargo build --release` first")

    with tempfile.TemporaryDirectory(prefix="dudsim-compare-") as tmp:
        tmp = Path(tmp)
        if args.scenario:
            scenario = Path(args.scenario)
        else:
            # The default scenario without its areas: the baseline has no
            # spatial model, so both sides then simulate the same thing.
            scenario = tmp / "default.toml"
            example = subprocess.run([args.dudsim, "example"], check=True,
                                     capture_output=True, text=True).stdout
            scenario.write_text(re.sub(r"\[scenario\.area\]\n(?:[a-z_]+ = [^\n]*\n)*", "", example))
        run_help = subprocess.run([args.dudsim, "run", "--help"],
                                  capture_output=True, text=True).stdout
        dud_cmd = [args.dudsim, "run", str(scenario), "--replicates", str(args.replicates),
                   "--seed", str(args.seed), "--json", "--quiet", "--out", str(tmp / "dudsim-out")]
        if "--no-charts" in run_help:
            dud_cmd.append("--no-charts")
        if args.threads:
            dud_cmd += ["--threads", str(args.threads)]
        np_json, np_npz = tmp / "numpy.json", tmp / "numpy.npz"
        np_cmd = [sys.executable, str(HERE / "numpy_baseline.py"), str(scenario),
                  "--replicates", str(args.replicates), "--seed", str(args.seed),
                  "--out", str(np_json), "--dump-npz", str(np_npz)]

        t_dud, t_np = [], []
        for i in range(args.runs):
            t, out = run_timed(dud_cmd)
            t_dud.append(t)
            if i == 0:
                dud = json.loads(out)
            t, _ = run_timed(np_cmd)
            t_np.append(t)
            if i == 0:
                base = json.loads(np_json.read_text())
                raw = dict(np.load(np_npz))
            print(f"run {i + 1}/{args.runs}: dudsim {t_dud[-1]:.3f} s, numpy {t_np[-1]:.3f} s",
                  file=sys.stderr)

    # ------------------------------------------------------------ agreement
    rows, failures = [], 0
    if [s["name"] for s in dud["scenarios"]] != [s["name"] for s in base["scenarios"]]:
        sys.exit("the two programs report different scenarios")
    r_dud = dud["replicates"]
    for i, (a, b) in enumerate(zip(dud["scenarios"], base["scenarios"])):
        quantities = [("submunitions", a["submunitions"], b["submunitions"], None),
                      ("UXO", a["unexploded"], b["unexploded"], raw[f"s{i}_unexploded"])]
        # The steps the baseline saved per replicate: early and the horizon.
        steps = sorted(int(k.split("@")[1]) for k in raw if k.startswith(f"s{i}_live@"))
        for step in steps:
            ha, hb = a["timeline"][step - 1], b["timeline"][step - 1]
            quantities += [(f"live@{step}", ha["live"], hb["live"], raw[f"s{i}_live@{step}"]),
                           (f"casualties@{step}", ha["casualties"], hb["casualties"],
                            raw[f"s{i}_casualties@{step}"])]
        for label, sa, sb, x in quantities:
            rows.append((a["name"], f"{label} mean", sa["mean"], sb["mean"],
                         *mean_check(sa, sb)))
            if x is None:
                continue
            for key, q in QUANTILES:
                rows.append((a["name"], f"{label} {key}", sa[key], sb[key],
                              *quantile_check(sa[key], q, x, r_dud)))

    width = max(len(r[0]) for r in rows)
    print(f"\nAgreement at {r_dud} replicates each (seed {args.seed}); "
          f"|diff/SE| <= {Z:g} for means, order-statistic band at {Z:g} sigma for quantiles")
    print("(limit: the largest |diff/SE| accepted; for quantiles it includes the 0.5% "
          "allowance of dudsim's quantiles and the discreteness of the band; '-': band of zero width)")
    print(f"{'scenario':<{width}}  {'quantity':<20} {'dudsim':>12} {'numpy':>12} "
          f"{'diff/SE':>8} {'limit':>6}  check")
    for name, quantity, va, vb, z, limit, ok in rows:
        failures += not ok
        print(f"{name:<{width}}  {quantity:<20} {va:>12.2f} {vb:>12.2f} {z:>8.2f} "
              f"{'-' if math.isnan(limit) else f'{limit:.1f}':>6}  {'OK' if ok else 'FAIL'}")
    print(f"{len(rows) - failures}/{len(rows)} checks OK")

    # ------------------------------------------------------------ timing
    med_dud, med_np = statistics.median(t_dud), statistics.median(t_np)
    print(f"\nWall time over {args.runs} alternating runs, {args.replicates} replicates "
          f"({os.cpu_count()} CPUs; dudsim threads: {args.threads or 'default (all)'}, "
          f"numpy: one thread)")
    print("  dudsim runs (s): " + " ".join(f"{t:.3f}" for t in t_dud))
    print("  numpy  runs (s): " + " ".join(f"{t:.3f}" for t in t_np))
    print(f"  median: dudsim {med_dud:.3f} s, numpy {med_np:.3f} s, "
          f"ratio numpy/dudsim {med_np / med_dud:.2f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
