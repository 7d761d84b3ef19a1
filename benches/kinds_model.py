#!/usr/bin/env python3
"""Train canvass's learned kind model (src/infer/kinds_model.json) from hand-labelled exports.

The rules of src/infer decide every column's kind first; the model reads what they decided and
features of the column that hold across tools (`canvass inspect --features`, names in
src/infer/features.rs) and gives a second opinion, which canvass takes where it is confident and
the change is one the draft can carry out (src/infer/learned.rs).

Training data: every labelled export present here (benches/labelled.py's folders) of the label
files below, except the held-out sets ("heldout", "batch6-heldout"), which are never read here:
they measure the model (benches/coverage.py --set ...). Before training on everything, the script
reports the rules' accuracy and the corrected accuracy under grouped cross-validation (no export
in both the part fitted and the part scored), for each confidence threshold, so the threshold in
the model file is chosen on exports the fit did not see.

Usage: python3 benches/kinds_model.py [CANVASS_BINARY] [--write]
Needs scikit-learn and numpy (pip install scikit-learn numpy).
"""
import json
import os
import subprocess
import sys
from collections import Counter

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import GroupKFold

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from labelled import ROOT, locate  # noqa: E402

LABEL_FILES = ["expected-kinds.json", "unseen-kinds.json", "unseen-kinds-fresh.json",
               "unseen-kinds-batch3.json", "unseen-kinds-batch4.json",
               "unseen-kinds-batch5.json", "unseen-kinds-batch6.json"]
HELD_OUT = {"heldout", "batch6-heldout"}
CLASSES = ["likert", "single-choice", "multi-select", "numeric", "date", "free-text",
           "identifier", "metadata", "empty"]
MODEL = os.path.join(ROOT, "src/infer/kinds_model.json")
PARAMS = dict(n_estimators=120, learning_rate=0.1, max_depth=3, subsample=0.8,
              min_samples_leaf=5, random_state=1)
NAMES = []
THRESHOLDS = [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95]

# Mirrors learned.rs: which changes of kind the draft can carry out, from the rules' kind.
ALLOWED = {
    "identifier": set(),
    "metadata": {"identifier"},
    "empty": set(),
    "likert": {"single-choice", "free-text", "identifier", "metadata", "numeric"},
    "single-choice": {"free-text", "identifier", "metadata", "numeric", "likert"},
    "multi-select": {"single-choice", "free-text", "identifier", "metadata"},
    "numeric": {"single-choice", "identifier", "metadata", "likert", "free-text"},
    "date": {"identifier", "metadata"},
    "free-text": {"single-choice", "identifier", "metadata", "numeric"},
}


def shown_names(spec, shown):
    """As benches/coverage.py: labels match inspect's columns by position when as many."""
    labelled = list(spec["kinds"])
    if len(shown) == len(labelled):
        return {label: name for label, name in zip(labelled, shown)}
    return {label: label for label in labelled}


def dataset(binary):
    rows = []
    for label_file in LABEL_FILES:
        files = json.load(open(os.path.join(ROOT, "tests/fixtures", label_file)))["files"]
        for name, spec in files.items():
            if spec.get("set") in HELD_OUT:
                continue
            path = locate(name)
            if path is None:
                continue
            args = [binary, "inspect", "--features", path]
            read = spec.get("read_with") or {}
            if read.get("dictionary"):
                args += ["--dictionary", locate(read["dictionary"])]
            if read.get("sheet"):
                args += ["--sheet", read["sheet"]]
            out = subprocess.run(args, capture_output=True, text=True)
            if out.returncode != 0:
                print(f"inspect failed: {name}: {out.stderr.strip()[:200]}", file=sys.stderr)
                continue
            columns = json.loads(out.stdout)["columns"]
            by_name = {c["name"]: c for c in columns}
            named = shown_names(spec, [c["name"] for c in columns])
            for column, kind in spec["kinds"].items():
                c = by_name.get(named[column])
                if c is None or kind not in CLASSES:
                    continue
                rows.append((name, c["rule"], c["features"], kind, c.get("matrix")))
    return rows


def corrected(rule, proba, threshold, classes, features):
    best = int(np.argmax(proba))
    kind = classes[best]
    if kind != rule and proba[best] >= threshold and kind in ALLOWED[rule] \
            and carried(kind, features):
        return kind
    return rule


def carried(kind, x):
    """As learned.rs `change`: a numeric column needs numbers, a rating whole numbers from 0 or
    1 up to at most 10 over at least three points."""
    f = dict(zip(NAMES, np.asarray(x, dtype=np.float32)))
    if kind == "numeric":
        return f["numeric_share"] == 1.0
    if kind == "likert":
        return (f["integer_share"] == 1.0 and f["numeric_min"] in (0.0, np.float32(np.log(2)))
                and f["numeric_max"] <= np.log(11) + 1e-6 and f["numeric_span_log"] >= np.log(3) - 1e-6)
    return True


def grid_mean(rows, proba):
    """A grid's rows share one judgement: their probabilities averaged, as learned.rs does."""
    grids = {}
    for i, r in enumerate(rows):
        if r[4]:
            grids.setdefault((r[0], r[4]), []).append(i)
    for members in grids.values():
        if len(members) > 1:
            proba[members] = proba[members].mean(axis=0)
    return proba


def cross_validate(rows):
    groups = np.array([r[0] for r in rows])
    x = np.array([r[2] for r in rows], dtype=np.float32)
    y = np.array([r[3] for r in rows])
    rules = [r[1] for r in rows]
    folds = GroupKFold(n_splits=5)
    proba = np.zeros((len(rows), len(CLASSES)))
    for fit, score in folds.split(x, y, groups):
        model = GradientBoostingClassifier(**PARAMS).fit(x[fit], y[fit])
        p = model.predict_proba(x[score])
        for k, c in enumerate(model.classes_):
            proba[score, CLASSES.index(c)] = p[:, k]
    proba = grid_mean(rows, proba)
    right = sum(r == t for r, t in zip(rules, y))
    print(f"rules alone: {right}/{len(y)} ({100 * right / len(y):.1f} %)")
    best = None
    for threshold in THRESHOLDS:
        got = [corrected(r, p, threshold, CLASSES, row[2]) for r, p, row in zip(rules, proba, rows)]
        ok = sum(g == t for g, t in zip(got, y))
        fixed = sum(g == t and r != t for g, r, t in zip(got, rules, y))
        broke = sum(g != t and r == t for g, r, t in zip(got, rules, y))
        print(f"  threshold {threshold:.2f}: {ok}/{len(y)} ({100 * ok / len(y):.1f} %), "
              f"{fixed} mended, {broke} broken")
        if best is None or ok > best[1]:
            best = (threshold, ok)
    final = [corrected(r, p, best[0], CLASSES, row[2]) for r, p, row in zip(rules, proba, rows)]
    confusions = Counter((t, g) for t, g in zip(y, final) if t != g)
    for (t, g), n in confusions.most_common(10):
        print(f"    {t:14} -> {g:14} {n}")
    return best[0]


def tree_of(estimator):
    t = estimator.tree_
    return {
        "feature": [int(f) for f in t.feature],
        "threshold": [float(v) for v in t.threshold],
        "left": [int(v) for v in t.children_left],
        "right": [int(v) for v in t.children_right],
        "value": [round(float(v[0][0]), 9) for v in t.value],
    }


def write(rows, threshold, names):
    x = np.array([r[2] for r in rows], dtype=np.float32)
    y = np.array([r[3] for r in rows])
    model = GradientBoostingClassifier(**PARAMS).fit(x, y)
    classes = list(model.classes_)
    init = model._raw_predict_init(x[:1])[0]
    checks = [{"features": [float(v) for v in x[i]],
               "raw": [float(v) for v in model.decision_function(x[i:i + 1])[0]]}
              for i in range(0, len(x), max(1, len(x) // 8))]
    out = {
        "about": "Learned second opinion on column kinds; written by benches/kinds_model.py from "
                 f"{len(rows)} hand-labelled columns of {len(set(r[0] for r in rows))} exports "
                 "(held-out sets excluded). Gradient-boosted trees (scikit-learn "
                 "GradientBoostingClassifier), raw score = init + learning_rate * sum of trees.",
        "features": names,
        "classes": classes,
        "threshold": threshold,
        "learning_rate": PARAMS["learning_rate"],
        "init": [float(v) for v in init],
        "trees": [[tree_of(model.estimators_[i, k]) for k in range(len(classes))]
                  for i in range(model.estimators_.shape[0])],
        "checks": checks,
    }
    with open(MODEL, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {MODEL}: {len(classes)} classes, {model.estimators_.shape[0]} rounds")


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    binary = args[0] if args else os.path.join(ROOT, "target/release/canvass")
    NAMES.extend(json.loads(subprocess.run(
        [binary, "inspect", "--features",
         os.path.join(ROOT, "tests/fixtures/unseen/odk/briefcase_simple-form-newlines.csv")],
        capture_output=True, text=True).stdout)["names"])
    rows = dataset(binary)
    print(f"{len(rows)} labelled columns from {len(set(r[0] for r in rows))} exports")
    threshold = cross_validate(rows)
    if "--write" in sys.argv:
        write(rows, threshold, NAMES)


if __name__ == "__main__":
    main()
