#!/usr/bin/env python3
"""scikit-learn's TF-IDF + LinearSVC, the peer of canvass's learned coding (benches/learn_quality.rs).

TfidfVectorizer() fitted on the training comments, LinearSVC() (C=1, squared hinge, one-vs-rest),
both with their defaults, as the issue measured (macro-F1 0.508, accuracy 0.659 at 20 %). The
splits are those of the canvass bench: within each label, comments ranked by
splitmix64(id ^ seed), the first round(share * n) train, the rest are coded and scored.
`--all-text` fits the TF-IDF on every comment instead, as canvass counts document frequencies.

Usage: python3 benches/sklearn_coding.py FILE.csv [SEED] [--all-text]   (columns id,text,label)
"""
import math
import sys

import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score
from sklearn.svm import LinearSVC

MASK = (1 << 64) - 1


def splitmix64(z):
    z = (z + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def split(df, share, seed):
    train = pd.Series(False, index=df.index)
    for _, rows in df.groupby("label"):
        order = sorted(rows.index, key=lambda i: (splitmix64(int(df.at[i, "id"]) ^ seed), int(df.at[i, "id"])))
        train[order[: round_half_up(share * len(order))]] = True
    return train


def round_half_up(v):
    """Rounds half away from zero, as Rust's f64::round (Python's round() goes to even)."""
    return int(math.floor(v + 0.5))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    all_text = "--all-text" in sys.argv
    path = args[0]
    seed = int(args[1]) if len(args) > 1 else 0
    df = pd.read_csv(path, keep_default_na=False)
    print(f"{len(df)} comments, {df['label'].nunique()} labels, seed {seed}, TF-IDF fitted on "
          + ("all comments" if all_text else "the training comments"))
    print("share  train  macro-F1  micro-F1  accuracy")
    for share in (0.1, 0.2, 0.5):
        train = split(df, share, seed)
        vec = TfidfVectorizer()
        vec.fit(df["text"] if all_text else df.loc[train, "text"])
        x_train = vec.transform(df.loc[train, "text"])
        x_test = vec.transform(df.loc[~train, "text"])
        model = LinearSVC(random_state=seed).fit(x_train, df.loc[train, "label"])
        pred = model.predict(x_test)
        truth = df.loc[~train, "label"]
        print(f"{100 * share:4.0f} % {int(train.sum()):6d} {f1_score(truth, pred, average='macro'):9.3f} "
              f"{f1_score(truth, pred, average='micro'):9.3f} {accuracy_score(truth, pred):9.3f}")


if __name__ == "__main__":
    main()
