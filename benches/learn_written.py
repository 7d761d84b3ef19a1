#!/usr/bin/env python3
"""Learned coding as a user receives it: the assignments FILE `canvass themes --coded` writes,
scored on the comments not in the coded sample, beside scikit-learn's TF-IDF + LinearSVC on the
same splits (benches/sklearn_coding.py; one-vs-rest for several themes per comment).

For each data set and seed: a coded sample is drawn (NHS single-label: within each theme, the
comments ranked by splitmix64(id ^ seed), the first round(share * n), as benches/learn_quality.rs
and sklearn_coding.py draw it; the multi-label set: all comments ranked by splitmix64(id ^ seed),
the first round(share * n)). canvass is run as a user runs it:

    canvass themes data.csv --text text --id id --coded sample.csv --assignments out.csv

with data.csv holding every comment (id,text) and sample.csv the sample's `id,theme` rows (one
per theme of a comment). A comment's coding is the set of labels of its rows in out.csv that are
themes of the sample (a discovered theme, "(unthemed)" or "(no substantive answer)" codes it with
none). Both tools are scored the same way on the theme-per-comment indicator matrix: macro-F1
(scikit-learn's f1_score(average="macro", zero_division=0)) over the themes the scored comments
have, micro-F1 over every theme. Means over seeds 0-4.

Usage: python3 benches/learn_written.py [--canvass PATH] [--seeds 0,1,2,3,4] [--set nhs|multi]
(run from the repository root after `cargo build`; the default binary is target/debug/canvass)
"""
import argparse
import csv
import os
import subprocess
import sys
import tempfile

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.svm import LinearSVC

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sklearn_coding import round_half_up, split, splitmix64  # noqa: E402

SETS = {
    # name: (file, training share, several themes per comment)
    "nhs": ("tests/fixtures/text/nhs-fft-patient-feedback/data.csv", 0.2, False),
    "multi": ("tests/fixtures/text/nhs-patient-experience-multilabel/data.csv", 0.3, True),
}


def load(path, multi):
    df = pd.read_csv(path, keep_default_na=False)
    if multi:
        df["themes"] = df["labels"].map(lambda s: [t for t in s.split("; ") if t])
    else:
        df["themes"] = df["label"].map(lambda s: [s])
    return df


def draw(df, share, seed, multi):
    """The coded sample: a boolean per comment."""
    if not multi:
        return split(df, share, seed)
    order = sorted(df.index, key=lambda i: (splitmix64(int(df.at[i, "id"]) ^ seed), int(df.at[i, "id"])))
    train = pd.Series(False, index=df.index)
    train[order[: round_half_up(share * len(order))]] = True
    return train


def run_canvass(binary, df, train, workdir):
    data = os.path.join(workdir, "data.csv")
    sample = os.path.join(workdir, "sample.csv")
    out = os.path.join(workdir, "out.csv")
    df[["id", "text"]].to_csv(data, index=False, quoting=csv.QUOTE_MINIMAL)
    rows = [(df.at[i, "id"], t) for i in df.index[train] for t in df.at[i, "themes"]]
    pd.DataFrame(rows, columns=["id", "theme"]).to_csv(sample, index=False)
    subprocess.run(
        [binary, "themes", data, "--text", "text", "--id", "id", "--coded", sample, "--assignments", out],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    written = pd.read_csv(out, keep_default_na=False, dtype={"id": str})
    themes = {t for ts in df.loc[train, "themes"] for t in ts}
    coded = {}
    for _, r in written.iterrows():
        coded.setdefault(r["id"], set())
        if r["label"] in themes:
            coded[r["id"]].add(r["label"])
    return [sorted(coded.get(str(df.at[i, "id"]), set())) for i in df.index[~train]]


def run_sklearn(df, train, multi, seed):
    vec = TfidfVectorizer().fit(df.loc[train, "text"])
    x_train = vec.transform(df.loc[train, "text"])
    x_test = vec.transform(df.loc[~train, "text"])
    if not multi:
        model = LinearSVC(random_state=seed).fit(x_train, df.loc[train, "label"])
        return [[p] for p in model.predict(x_test)]
    mlb = MultiLabelBinarizer().fit(df.loc[train, "themes"])
    y = mlb.transform(df.loc[train, "themes"])
    model = OneVsRestClassifier(LinearSVC(random_state=seed)).fit(x_train, y)
    return [list(r) for r in mlb.inverse_transform(model.predict(x_test))]


def score(df, train, predicted):
    """Macro- and micro-F1 over the themes the scored comments have (a coding with a theme none
    of them has counts in micro-F1 as a false positive)."""
    every = sorted({t for ts in df["themes"] for t in ts})
    mlb = MultiLabelBinarizer(classes=every).fit([every])
    truth = mlb.transform(df.loc[~train, "themes"])
    pred = mlb.transform(predicted)
    present = np.flatnonzero(truth.sum(axis=0) > 0)
    return (
        f1_score(truth[:, present], pred[:, present], average="macro", zero_division=0),
        f1_score(truth, pred, average="micro", zero_division=0),
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--canvass", default="target/debug/canvass")
    ap.add_argument("--seeds", default="0,1,2,3,4")
    ap.add_argument("--set", choices=sorted(SETS), action="append")
    args = ap.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    for name in args.set or sorted(SETS):
        path, share, multi = SETS[name]
        df = load(path, multi)
        print(f"{name}: {path}, {len(df)} comments, {share:.0%} coded, seeds {args.seeds}")
        print("seed  canvass macro  micro   scikit-learn macro  micro")
        figures = []
        for seed in seeds:
            train = draw(df, share, seed, multi)
            with tempfile.TemporaryDirectory() as workdir:
                ours = score(df, train, run_canvass(args.canvass, df, train, workdir))
            theirs = score(df, train, run_sklearn(df, train, multi, seed))
            figures.append(ours + theirs)
            print(f"{seed:4d}  {ours[0]:13.3f} {ours[1]:6.3f}   {theirs[0]:18.3f} {theirs[1]:6.3f}", flush=True)
        m = np.mean(figures, axis=0)
        print(f"mean  {m[0]:13.3f} {m[1]:6.3f}   {m[2]:18.3f} {m[3]:6.3f}")


if __name__ == "__main__":
    main()
