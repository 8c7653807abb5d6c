#!/usr/bin/env python3
"""Measure dudsim's performance targets side by side, in one run.

    python3 benches/targets.py [--runs 5] [--dudsim target/release/dudsim]

Each comparison runs its two commands alternately `--runs` times and
reports the median wall time of each and their ratio, so that a noisy,
shared machine affects both sides alike. Targets (issue 5):

  1. the default scenario without its areas, 100,000 replicates: at least
     10x faster than the NumPy baseline (benches/baseline/compare.py, which
     also checks that the two agree);
  2. 2 threads at least 1.8x faster than 1 (same run);
  3. a replicate with 10^9 submunitions costs at most 1.2x one with 10^4
     (no lot variation; 2,000,000 replicates each);
  4. with lot variation, at most 10 ns per carrier per replicate
     (1,000 carriers, 100,000 replicates; the replicate's whole cost is
     divided by its carriers);
  5. peak memory under 100 MB at 10^6 replicates with a 240-step aftermath;
  6. (issue 11) a replicate whose encounter hazard falls costs at most 1.1x
     one with a constant hazard: the default scenario without its areas
     against the same without its encounter_half_life and encounter_floor
     (100,000 replicates, 1 thread).
  7. (issue 16) at most 12 ns per dud placed: the default scenario with its
     areas against the same without them (10,000 replicates), the
     difference divided by the live duds placed (from summary.json);
  8. (issue 16) the decision example (examples/decision/village.toml) at
     10,000 replicates in at most 1.5x the time of the same barrage
     without clearance on the map, read two ways, both printed: (a) with
     no aftermath on the map at all (the file without maps_at and without
     its [scenario.exposure] and [scenario.clearance] tables), and (b)
     without the teams only (the file without its [scenario.clearance]
     tables: people still meet the duds cell by cell, and the maps of
     live UXO are still drawn). The three runs alternate.

The speed-of-light ratios (issue 16, target 3) come from criterion:
`cargo bench --bench engine -- speed_of_light`, then
`python3 benches/speed_of_light.py`.

Needs numpy for target 1 (pip install numpy); the others need only a
release build (cargo build --release).
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def wall(cmd):
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def alternate(a, b, runs):
    """Median wall times of two commands run alternately."""
    ta, tb = [], []
    for _ in range(runs):
        ta.append(wall(a))
        tb.append(wall(b))
    return statistics.median(ta), statistics.median(tb), ta, tb


def alternate_all(cmds, runs):
    """Median wall times of several commands run in turn, `runs` rounds."""
    times = [[] for _ in cmds]
    for _ in range(runs):
        for t, cmd in zip(times, cmds):
            t.append(wall(cmd))
    return [statistics.median(t) for t in times]


def without_tables(text, names):
    """`text` without its `[scenario.<name>]` tables for the names in the
    alternation `names`, each header with its keys, comments and blank
    lines; fails if any key of such a table is left behind."""
    header = r"(?m)^\[scenario\.(?:" + names + r")\][^\n]*\n"
    body = r"(?:[ \t]*(?:[a-z_]+\s*=[^\n]*|#[^\n]*)?\n)*"
    result, removed = re.subn(header + body, "", text)
    left = re.findall(r"(?m)^\s*\[scenario\.(?:" + names + r")\]", result)
    if removed == 0 or left:
        sys.exit(f"could not remove the [scenario.{names}] tables ({removed} removed, {len(left)} left)")
    return result


def default_without_area(dudsim, steps=None):
    text = subprocess.run([dudsim, "example"], check=True, capture_output=True, text=True).stdout
    text = re.sub(r"\[scenario\.area\]\n(?:[a-z_]+ = [^\n]*\n)*", "", text)
    if steps is not None:
        text = re.sub(r"(?m)^steps = \d+", f"steps = {steps}", text)
    return text


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--dudsim", default=str(ROOT / "target" / "release" / "dudsim"))
    ap.add_argument("--skip-numpy", action="store_true", help="skip target 1")
    args = ap.parse_args()
    dudsim = args.dudsim
    rows = []

    with tempfile.TemporaryDirectory(prefix="dudsim-targets-") as tmp:
        tmp = Path(tmp)
        out = str(tmp / "out")
        run = [dudsim, "run", "--quiet", "--no-charts", "--out", out]
        scenario = tmp / "default-without-area.toml"
        scenario.write_text(default_without_area(dudsim))

        if not args.skip_numpy:
            result = subprocess.run(
                [sys.executable, str(HERE / "baseline" / "compare.py"), "--replicates", "100000",
                 "--runs", str(args.runs), "--dudsim", dudsim, "--scenario", str(scenario)],
                capture_output=True, text=True)
            print(result.stdout)
            medians = re.search(r"median: dudsim ([\d.]+) s, numpy ([\d.]+) s", result.stdout)
            ratio = re.search(r"ratio numpy/dudsim:?\s*([\d.]+)", result.stdout)
            if ratio:
                rows.append(("1. NumPy / dudsim, default without area, 100,000 replicates",
                             f"{medians.group(2)} s / {medians.group(1)} s" if medians else "",
                             float(ratio.group(1)), ">= 10", float(ratio.group(1)) >= 10))
            if result.returncode != 0:
                print("compare.py reported a disagreement or failed", file=sys.stderr)

        one, two, t1, t2 = alternate(run + [str(scenario), "--replicates", "100000", "--threads", "1"],
                                     run + [str(scenario), "--replicates", "100000", "--threads", "2"],
                                     args.runs)
        rows.append(("2. 1 thread / 2 threads, default without area, 100,000 replicates",
                     f"{one:.2f} s / {two:.2f} s", one / two, ">= 1.8", one / two >= 1.8))

        big, small, _, _ = alternate(
            run + [str(HERE / "scenarios" / "submunitions-1e9.toml"), "--replicates", "2000000", "--threads", "1"],
            run + [str(HERE / "scenarios" / "submunitions-1e4.toml"), "--replicates", "2000000", "--threads", "1"],
            args.runs)
        rows.append(("3. replicate with 1e9 / with 1e4 submunitions (2,000,000 replicates, 1 thread)",
                     f"{big:.2f} s / {small:.2f} s", big / small, "<= 1.2", big / small <= 1.2))

        reps, carriers = 100_000, 1000
        lot, plain, _, _ = alternate(
            run + [str(HERE / "scenarios" / "lot-with.toml"), "--replicates", str(reps), "--threads", "1"],
            run + [str(HERE / "scenarios" / "lot-without.toml"), "--replicates", str(reps), "--threads", "1"],
            args.runs)
        per_carrier = lot / (reps * carriers) * 1e9
        rows.append(("4. lot variation: ns per carrier per replicate (1,000 carriers, 1 thread)",
                     f"{lot:.2f} s (without: {plain:.2f} s)", per_carrier, "<= 10", per_carrier <= 10))

        long = tmp / "default-240-steps.toml"
        long.write_text(default_without_area(dudsim, steps=240))
        timed = subprocess.run(["/usr/bin/time", "-f", "%M %e"] + run + [str(long), "--replicates", "1000000"],
                               capture_output=True, text=True, check=True)
        kb, seconds = timed.stderr.strip().split()[-2:]
        mb = int(kb) / 1024
        rows.append(("5. peak memory, 1e6 replicates, 240 steps (MB)", f"{float(seconds):.1f} s wall",
                     mb, "< 100", mb < 100))

        constant = tmp / "default-constant-hazard.toml"
        constant.write_text(re.sub(r"(?m)^encounter_(half_life|floor) = [^\n]*\n", "",
                                   default_without_area(dudsim)))
        falling, steady, _, _ = alternate(
            run + [str(scenario), "--replicates", "100000", "--threads", "1"],
            run + [str(constant), "--replicates", "100000", "--threads", "1"],
            args.runs)
        rows.append(("6. falling / constant encounter hazard, default without area (1 thread)",
                     f"{falling:.2f} s / {steady:.2f} s", falling / steady, "<= 1.1",
                     falling / steady <= 1.1))

        # 7. Per dud placed.
        reps = 10_000
        with_areas = tmp / "default.toml"
        with_areas.write_text(subprocess.run([dudsim, "example"], check=True, capture_output=True,
                                             text=True).stdout)
        placed_out = str(tmp / "placed")
        spatial, plain, _, _ = alternate(
            [dudsim, "run", "--quiet", "--no-charts", "--out", placed_out, str(with_areas),
             "--replicates", str(reps)],
            run + [str(scenario), "--replicates", str(reps)],
            args.runs)
        summary = json.loads((Path(placed_out) / "summary.json").read_text())
        duds = sum(s["unexploded"]["mean"] for s in summary["scenarios"]) * reps
        per_dud = (spatial - plain) / duds * 1e9
        rows.append(("7. ns per dud placed: default with / without areas, 10,000 replicates",
                     f"{spatial:.2f} s / {plain:.2f} s", per_dud, "<= 12", per_dud <= 12))

        # 8. Clearance on the map, against two baselines.
        village = ROOT / "examples" / "decision" / "village.toml"
        text = village.read_text()
        barrage = tmp / "barrage.toml"
        plain = re.sub(r"(?m)^maps_at\s*=[^\n]*\n", "", text)
        plain = without_tables(plain, "exposure|clearance")
        barrage.write_text(plain)
        no_teams = tmp / "without-teams.toml"
        kept = without_tables(text, "clearance")
        # The copy lives elsewhere: its exposure grid by absolute path.
        kept = kept.replace('grid = "village-exposure.asc"',
                            f'grid = "{(village.parent / "village-exposure.asc").as_posix()}"')
        no_teams.write_text(kept)
        decision, base, without_teams = alternate_all(
            [run + [str(f), "--replicates", str(reps)] for f in (village, barrage, no_teams)],
            args.runs)
        rows.append(("8a. decision example / the same barrage, no map aftermath, 10,000 replicates",
                     f"{decision:.2f} s / {base:.2f} s", decision / base, "<= 1.5",
                     decision / base <= 1.5))
        rows.append(("8b. decision example / the same file without its teams, 10,000 replicates",
                     f"{decision:.2f} s / {without_teams:.2f} s", decision / without_teams, "<= 1.5",
                     decision / without_teams <= 1.5))

    print(f"machine: {os.cpu_count()} cores; {args.runs} alternating runs per comparison; medians")
    width = max(len(r[0]) for r in rows)
    for name, times, value, target, ok in rows:
        print(f"{name:<{width}}  {times:>28}  {value:8.2f}  target {target:<6}  {'OK' if ok else 'MISSED'}")


if __name__ == "__main__":
    main()
