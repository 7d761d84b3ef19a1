"""Reference VADER scores of the NHS comments, for tests/it/sentiment.rs.

Writes tests/fixtures/text/nhs-fft-patient-feedback/vader_reference.csv (id, compound) with the
Python package the lexicon comes from, and prints Spearman's rho between its compound score and
the NHS coders' criticality (all rows, even ids, odd ids).

    python3 -m venv /tmp/v && /tmp/v/bin/pip install vaderSentiment==3.3.2
    /tmp/v/bin/python tests/reference/vader_nhs.py      # from the repository root
"""
import csv
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

DIR = "tests/fixtures/text/nhs-fft-patient-feedback/"
analyzer = SentimentIntensityAnalyzer()
rows = list(csv.DictReader(open(DIR + "sentiment.csv", encoding="utf-8")))
scores = [analyzer.polarity_scores(r["text"])["compound"] for r in rows]
with open(DIR + "vader_reference.csv", "w", newline="") as f:
    out = csv.writer(f, lineterminator="\n")
    out.writerow(["id", "compound"])
    for r, c in zip(rows, scores):
        out.writerow([r["id"], c])


def ranks(v):
    order = sorted(range(len(v)), key=lambda i: v[i])
    rk = [0.0] * len(v)
    i = 0
    while i < len(v):
        j = i
        while j + 1 < len(v) and v[order[j + 1]] == v[order[i]]:
            j += 1
        for k in range(i, j + 1):
            rk[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return rk


def spearman(a, b):
    ra, rb = ranks(a), ranks(b)
    n = len(a)
    ma, mb = sum(ra) / n, sum(rb) / n
    num = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    return num / (sum((x - ma) ** 2 for x in ra) * sum((y - mb) ** 2 for y in rb)) ** 0.5


gold = [int(r["criticality"]) for r in rows]
for name, keep in [("all", lambda i: True), ("even", lambda i: i % 2 == 0), ("odd", lambda i: i % 2 == 1)]:
    idx = [k for k, r in enumerate(rows) if keep(int(r["id"]))]
    print(name, round(spearman([scores[k] for k in idx], [gold[k] for k in idx]), 4))
