#!/usr/bin/env python3
"""pandas doing what `canvass score` does on the benchmark export, for comparison.

Reads the Qualtrics-layout file written by benches/score_throughput.rs (`canvass synth`'s
writer; skipping header rows 2 and 3), drops previews and tests (Status), unfinished responses
and repeated respondents (RecipientEmail, first kept), codes the answers' labels 1–5, then per
item: n, missing, counts, percent agreeing (4–5) with a Wilson interval, mean, SD, median; per scale of 10 items:
Cronbach's alpha from the pairwise covariance matrix (pandas' DataFrame.cov is pairwise).
Prints time and peak memory.   Usage: python3 benches/pandas_score.py FILE.csv
"""
import resource
import sys
import time

import numpy as np
import pandas as pd

t = time.perf_counter()
LABELS = {"Strongly disagree": 1, "Disagree": 2, "Neither agree nor disagree": 3, "Agree": 4, "Strongly agree": 5}
df = pd.read_csv(sys.argv[1], skiprows=[1, 2], encoding="utf-8-sig")
df = df[(df["Status"] == "IP Address") & (df["Finished"].astype(str) == "True") & (df["Progress"] >= 100)]
df = df[~df["RecipientEmail"].str.lower().duplicated()]
# The 30 rating items (Q1_1 … Q3_10), not the check-all and ranking columns (Q7_*, Q9_*).
items = [c for c in df.columns if c[:3] in ("Q1_", "Q2_", "Q3_")]
df[items] = df[items].apply(lambda col: col.map(LABELS))
z = 1.959963984540054
out = []
for it in items:
    v = df[it].dropna()
    n = len(v)
    counts = v.value_counts().reindex([1, 2, 3, 4, 5], fill_value=0)
    p = (v >= 4).mean()
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    out.append((it, n, len(df) - n, counts.tolist(), 100 * p, 100 * (centre - half), 100 * (centre + half), v.mean(), v.std(), v.median()))
for s in range(1, 4):
    cols = [f"Q{s}_{i}" for i in range(1, 11)]
    c = df[cols].cov()
    k = len(cols)
    alpha = (1 - np.trace(c.values) / c.values.sum()) * k / (k - 1)
    out.append((f"scale{s}", alpha))
elapsed = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"pandas: {len(df)} kept, {elapsed:.2f}s, peak memory {peak:.0f} MiB, alpha {out[-3][1]:.3f}")
