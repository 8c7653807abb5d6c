#!/usr/bin/env python3
"""Writes village-exposure.asc: how much people use each place of the
decision example's 5 km x 5 km area (local metres, 100 m pixels).

An illustrative landscape, not a real place: a village of about 1 km
across east of the target (people live, walk and play there: weight 20),
farmland in a band across the middle of the area (worked by hand: 4), a
road from the village to the west edge (8), and scrub and woodland
elsewhere (0.5). The weights are relative: dudsim scales them to an average
of 1 over the area, so that the scenario's encounter rate holds at average
exposure, and a dud in the village is met 40 times as often as one in the
woods.

Run: python3 examples/decision/make_exposure.py (writes the file beside it).
"""
import math
import os

SIZE_M, PIXEL_M = 5000, 100
VILLAGE = (3500.0, 2500.0, 500.0)   # centre x, y and radius in metres
FIELDS = (1800.0, 3400.0)           # y range of the farmland band
ROAD_Y, ROAD_HALF_WIDTH = 2500.0, 50.0


def weight(x, y):
    cx, cy, r = VILLAGE
    if math.hypot(x - cx, y - cy) <= r:
        return 20.0
    if abs(y - ROAD_Y) <= ROAD_HALF_WIDTH and x <= cx:
        return 8.0
    if FIELDS[0] <= y <= FIELDS[1]:
        return 4.0
    return 0.5


def main():
    n = SIZE_M // PIXEL_M
    lines = [
        f"ncols {n}", f"nrows {n}", "xllcorner 0", "yllcorner 0",
        f"cellsize {PIXEL_M}", "NODATA_value -9999",
    ]
    for row in range(n):  # from the top (north) down
        y = SIZE_M - (row + 0.5) * PIXEL_M
        lines.append(" ".join(
            f"{weight((col + 0.5) * PIXEL_M, y):g}" for col in range(n)))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "village-exposure.asc")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
