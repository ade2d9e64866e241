#!/usr/bin/env python3
"""Means of dotnet-counters' CSV (collect --format csv) per counter, for docs/performance.md.

    python3 .ci/lib/counters-summary.py counters.csv
"""
import csv
import sys
from collections import defaultdict

values = defaultdict(list)
with open(sys.argv[1], newline="") as f:
    for row in csv.DictReader(f):
        try:
            values[(row["Provider"], row["Counter Name"])].append(float(row["Mean/Increment"]))
        except ValueError:
            pass
for (provider, name), xs in sorted(values.items()):
    if any(skip in name for skip in ("fragmentation", "heap.size", "assembly.count", "cpu.count", "capacity")):
        continue
    print(f"{sum(xs) / len(xs):>16,.3f}  {provider}  {name}")
