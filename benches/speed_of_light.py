#!/usr/bin/env python3
"""Print dudsim's cost per replicate-step and per dud placed beside the
least work each needs, from the criterion results of

    cargo bench --bench engine -- speed_of_light

(`target/criterion/speed_of_light/*/new/`): each bench's median time per
iteration divided by its throughput elements, and the ratios.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GROUP = ROOT / "target" / "criterion" / "speed_of_light"


def per_element(name):
    folder = GROUP / name / "new"
    try:
        estimates = json.loads((folder / "estimates.json").read_text())
        benchmark = json.loads((folder / "benchmark.json").read_text())
    except FileNotFoundError:
        sys.exit(f"no criterion results for speed_of_light/{name}: run "
                 "`cargo bench --bench engine -- speed_of_light` first")
    elements = benchmark["throughput"]["Elements"]
    return estimates["median"]["point_estimate"] / elements


rows = [
    ("replicate-step", "replicate_step", "multinomial_step"),
    ("dud placed", "dud", "dud_placement"),
]
print(f"{'per':<16}{'dudsim (ns)':>12}{'least work (ns)':>17}{'ratio':>8}")
for label, ours, floor in rows:
    a, b = per_element(ours), per_element(floor)
    print(f"{label:<16}{a:>12.1f}{b:>17.1f}{a / b:>8.2f}")
