#!/usr/bin/env python3
"""scikit-learn's documented text-clustering recipe, for comparison with canvass.

The recipe of scikit-learn's example "Clustering text documents using k-means" (LSA variant):
TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=2), TruncatedSVD(100),
Normalizer(copy=False), KMeans(k, n_init=10), with k = the number of gold labels. Reports NMI,
ARI and Hungarian accuracy against the gold labels, mean and sd over seeds 0..4 (CANVASS_SEEDS=N for
0..N-1, as the canvass bench), and the time of
one fit (vectorise + reduce + cluster, excluding reading the file).

Usage: python3 benches/sklearn_themes.py FILE.csv [FILE.csv …]   (columns id,text,label)
       python3 benches/sklearn_themes.py --speed FILE.csv N         (time on N comments, k = 20)
       python3 benches/sklearn_themes.py --export EXPORT.csv COLUMN K  (a Qualtrics-layout export, as
           `canvass themes EXPORT --text COLUMN --k K` reads it: whole process, peak memory)
"""
import os
import sys
import time

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, confusion_matrix, normalized_mutual_info_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import Normalizer


def recipe(texts, k, seed):
    tfidf = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=2).fit_transform(texts)
    # 100 components, or fewer where the vocabulary is smaller (synthetic comments).
    svd = TruncatedSVD(n_components=min(100, tfidf.shape[1] - 1), random_state=seed)
    x = Normalizer(copy=False).fit_transform(svd.fit_transform(tfidf))
    return KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(x)


def accuracy(gold, pred):
    m = confusion_matrix(gold, pred)
    r, c = linear_sum_assignment(-m)
    return m[r, c].sum() / len(gold)


def quality(path):
    df = pd.read_csv(path, keep_default_na=False)
    gold = pd.factorize(df["label"])[0]
    k = len(set(gold))
    scores = []
    times = []
    for seed in range(int(os.environ.get("CANVASS_SEEDS", "5"))):
        t = time.perf_counter()
        pred = recipe(df["text"].tolist(), k, seed)
        times.append(time.perf_counter() - t)
        scores.append((normalized_mutual_info_score(gold, pred), adjusted_rand_score(gold, pred), accuracy(gold, pred)))
    s = np.array(scores) * 100
    print(f"{path}: n={len(df)} k={k} sklearn NMI {s[:,0].mean():.1f}±{s[:,0].std():.1f} "
          f"ARI {s[:,1].mean():.1f}±{s[:,1].std():.1f} ACC {s[:,2].mean():.1f}±{s[:,2].std():.1f} "
          f"time {np.mean(times):.2f}s")


def speed(path, n):
    df = pd.read_csv(path, keep_default_na=False)
    texts = (df["text"].tolist() * (n // len(df) + 1))[:n]
    t = time.perf_counter()
    recipe(texts, 20, 0)
    print(f"sklearn recipe on {n} comments: {time.perf_counter() - t:.2f}s")


def export(path, column, k):
    """Reads and cleans the export as canvass does (previews, tests, unfinished and repeated
    respondents out), then clusters its non-empty comments; times the whole process."""
    import resource
    t = time.perf_counter()
    df = pd.read_csv(path, skiprows=[1, 2], encoding="utf-8-sig", keep_default_na=False, dtype=str)
    df = df[(df["Status"] == "IP Address") & (df["Finished"] == "True") & (df["Progress"].astype(float) >= 100)]
    df = df[~df["RecipientEmail"].str.lower().duplicated()]
    texts = [c for c in df[column].tolist() if c.strip()]
    recipe(texts, k, 0)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"sklearn recipe on {len(texts)} comments of {path}, k = {k}: "
          f"{time.perf_counter() - t:.2f}s, peak memory {peak:.0f} MiB")


if __name__ == "__main__":
    if sys.argv[1] == "--export":
        export(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif sys.argv[1] == "--speed":
        speed(sys.argv[2], int(sys.argv[3]))
    else:
        for p in sys.argv[1:]:
            quality(p)
