#!/usr/bin/env python3
"""Polars doing what `canvass score` does on the benchmark export: the fast dataframe a skilled
analyst would reach for, as a second peer beside benches/pandas_score.py (same steps, same
figures; the script prints scale 1's alpha so the two can be compared with canvass).

Reads the Qualtrics-layout file `canvass synth` writes (skipping header rows 2 and 3), drops
previews and tests (Status), unfinished responses and repeated respondents (RecipientEmail, first
kept), codes the answers' labels 1–5, then per item: n, missing, counts, percent agreeing (4–5)
with a Wilson interval, mean, SD, median; per scale of ten items: Cronbach's alpha from the
pairwise-complete covariance matrix (what canvass and psych::alpha use).
Prints time and peak memory.   Usage: python3 benches/polars_score.py FILE.csv
"""
import math
import resource
import sys
import time

import polars as pl

t = time.perf_counter()
LABELS = {"Strongly disagree": 1, "Disagree": 2, "Neither agree nor disagree": 3, "Agree": 4, "Strongly agree": 5}
# The second and third header rows (question texts, ImportIds) are not responses.
df = pl.read_csv(sys.argv[1], skip_rows_after_header=2, infer_schema=False, encoding="utf8-lossy")
df = df.filter(
    (pl.col("Status") == "IP Address") & (pl.col("Finished") == "True") & (pl.col("Progress").cast(pl.Float64) >= 100)
)
df = df.filter(pl.col("RecipientEmail").str.to_lowercase().is_first_distinct())
# The 30 rating items (Q1_1 … Q3_10), not the check-all and ranking columns (Q7_*, Q9_*).
items = [c for c in df.columns if c[:3] in ("Q1_", "Q2_", "Q3_")]
df = df.select([pl.col(c).replace_strict(LABELS, default=None, return_dtype=pl.Float64) for c in items])
z = 1.959963984540054
stats = df.select(
    [e for it in items for e in (
        pl.col(it).count().alias(f"{it}|n"),
        (pl.col(it) >= 4).sum().alias(f"{it}|agree"),
        pl.col(it).mean().alias(f"{it}|mean"),
        pl.col(it).std().alias(f"{it}|sd"),
        pl.col(it).median().alias(f"{it}|median"),
    )]
    + [(pl.col(it) == v).sum().alias(f"{it}|c{v}") for it in items for v in range(1, 6)]
).row(0, named=True)
out = []
for it in items:
    n = stats[f"{it}|n"]
    p = stats[f"{it}|agree"] / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    counts = [stats[f"{it}|c{v}"] for v in range(1, 6)]
    out.append((it, n, df.height - n, counts, 100 * p, 100 * (centre - half), 100 * (centre + half),
                stats[f"{it}|mean"], stats[f"{it}|sd"], stats[f"{it}|median"]))
for s in range(1, 4):
    cols = [f"Q{s}_{i}" for i in range(1, 11)]
    pairs = [(a, b) for a in cols for b in cols if a <= b]
    both = lambda a, b: pl.col(a).is_not_null() & pl.col(b).is_not_null()
    cov = df.select(
        [pl.cov(pl.col(a).filter(both(a, b)), pl.col(b).filter(both(a, b))).alias(f"{a}|{b}") for a, b in pairs]
    ).row(0, named=True)
    total = sum(cov[f"{a}|{b}"] * (1 if a == b else 2) for a, b in pairs)
    trace = sum(cov[f"{a}|{a}"] for a in cols)
    k = len(cols)
    out.append((f"scale{s}", (1 - trace / total) * k / (k - 1)))
elapsed = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"polars: {df.height} kept, {elapsed:.2f}s, peak memory {peak:.0f} MiB, alpha {out[-3][1]:.3f}")
