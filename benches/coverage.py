#!/usr/bin/env python3
"""How much of a questionnaire reaches the report, as a new user gets it.

For every export with hand-labelled column kinds (tests/fixtures/expected-kinds.json, labelled
by reading the files, never canvass's output), runs `canvass init EXPORT > survey.toml` and
`canvass run` on a one-wave pipeline with no edit, then looks in the files the run wrote for each
answerable column (likert, single-choice, multi-select, numeric, free-text): items.csv,
choices.csv, numbers.csv and comments.csv name the export column each row came from.

Usage: python3 benches/coverage.py [CANVASS_BINARY] [--labels FILE] [--set tuning|heldout]
  (default binary target/release/canvass; default labels tests/fixtures/expected-kinds.json)
With --labels tests/fixtures/unseen-kinds.json it measures the exports gathered and labelled
blind for issue #27 (tests/fixtures/unseen/, and ../unseen-extra/ for those whose licence keeps
them out of git); --set keeps the files of one set (the held-out third measures, the rest tunes).
Prints, per file and per kind, the answerable columns and how many reached the report's tables,
and how often `canvass inspect` gave each labelled column the kind a reader gave it.
"""
import csv
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from labelled import ROOT, labelled, locate, options  # noqa: E402

OPTIONS = options()
BINARY = OPTIONS.binary
KEPT_TESTS = []
ANSWERABLE = ["likert", "single-choice", "multi-select", "numeric", "free-text", "ranking"]


def columns_in(path, field):
    if not os.path.exists(path):
        return set()
    with open(path, newline="", encoding="utf-8") as f:
        return {row[field] for row in csv.DictReader(f)}


def main():
    labels = labelled(OPTIONS)
    total, reached = Counter(), Counter()
    judged, agreed, confusions = Counter(), Counter(), Counter()
    per_file = []
    for name, spec in labels.items():
        export = locate(name)
        if export is None:
            print(f"skipped (not here): {name}", file=sys.stderr)
            continue
        with tempfile.TemporaryDirectory() as d:
            local = os.path.join(d, os.path.basename(export))
            with open(export, "rb") as src, open(local, "wb") as dst:
                dst.write(src.read())
            shown = inspected_kinds(local, spec)
            kinds = dict(shown)
            named = shown_names(spec, shown)
            args = [BINARY, "init", local]
            wave = f'[[waves]]\nname = "w1"\nexport = "{os.path.basename(export)}"\n'
            if spec["read_with"].get("dictionary"):
                dictionary = locate(spec["read_with"]["dictionary"])
                args += ["--dictionary", dictionary]
                wave += f'dictionary = "{dictionary}"\n'
            draft = subprocess.run(args, capture_output=True, text=True)
            if draft.returncode != 0:
                print(f"init failed: {name}: {draft.stderr.strip()}", file=sys.stderr)
                got = set()
                ranked = set()
            else:
                open(os.path.join(d, "survey.toml"), "w").write(draft.stdout)
                open(os.path.join(d, "p.toml"), "w").write(
                    'name = "c"\nsurvey = "survey.toml"\noutput = "out"\n' + wave
                )
                run = subprocess.run([BINARY, "run", os.path.join(d, "p.toml"), "--quiet"],
                                     capture_output=True, text=True)
                if run.returncode != 0 and "--keep-tests" in run.stderr:
                    # An export of only the tool's test responses (a pilot): the run stops
                    # and says how to keep them, the one edit a user makes here.
                    KEPT_TESTS.append(name)
                    run = subprocess.run([BINARY, "run", os.path.join(d, "p.toml"), "--quiet",
                                          "--keep-tests"], capture_output=True, text=True)
                w = os.path.join(d, "out", "w1")
                got = set()
                ranked = set()
                if run.returncode != 0:
                    print(f"run failed: {name}: {run.stderr.strip()[:300]}", file=sys.stderr)
                else:
                    # An item read from a column per option names them all, joined by " | ".
                    for read in columns_in(os.path.join(w, "items.csv"), "column"):
                        got |= set(read.split(" | "))
                    got |= columns_in(os.path.join(w, "choices.csv"), "column")
                    got |= columns_in(os.path.join(w, "numbers.csv"), "column")
                    got |= columns_in(os.path.join(w, "comments.csv"), "column")
                    ranked = columns_in(os.path.join(w, "rankings.csv"), "column")
                    got |= ranked
            file_judged = file_agreed = 0
            for column, kind in spec["kinds"].items():
                column = named[column]
                judged[kind] += 1
                file_judged += 1
                # inspect has no kind "ranking": a ranking's column is right when the run
                # ranks it (rankings.csv), whatever inspect calls it alone.
                seen = "ranking" if column in ranked else kinds.get(column, "missing")
                if seen == kind:
                    agreed[kind] += 1
                    file_agreed += 1
                else:
                    confusions[(kind, seen)] += 1
        file_total = file_reached = 0
        for column, kind in spec["kinds"].items():
            if kind not in ANSWERABLE:
                continue
            total[kind] += 1
            file_total += 1
            if named[column] in got:
                reached[kind] += 1
                file_reached += 1
        per_file.append((name, file_reached, file_total, file_agreed, file_judged))
    print(f"{'file':80} {'in the report':>13} {'kind right':>11}")
    for name, r, t, a, j in per_file:
        print(f"{name:80} {r:6}/{t:<6} {a:5}/{j:<5}")
    print()
    print(f"{'kind':15} {'columns':>8} {'in the report':>14} {'share':>7}")
    for kind in ANSWERABLE:
        t, r = total[kind], reached[kind]
        print(f"{kind:15} {t:8} {r:14} {100 * r / max(t, 1):6.1f}%")
    t, r = sum(total.values()), sum(reached.values())
    print(f"{'all':15} {t:8} {r:14} {100 * r / max(t, 1):6.1f}%")
    print()
    print(f"{'kind':15} {'columns':>8} {'kind right':>11} {'share':>7}")
    for kind in sorted(judged):
        t, r = judged[kind], agreed[kind]
        print(f"{kind:15} {t:8} {r:11} {100 * r / max(t, 1):6.1f}%")
    t, r = sum(judged.values()), sum(agreed.values())
    print(f"{'all':15} {t:8} {r:11} {100 * r / max(t, 1):6.1f}%")
    if KEPT_TESTS:
        print(f"\nrun again with --keep-tests, as the error asks (every response a test): {len(KEPT_TESTS)} files")
    print()
    print("most common disagreements (reader's kind -> canvass's):")
    for (want, got), n in confusions.most_common(12):
        print(f"  {want:14} -> {got:14} {n:5}")


def shown_names(spec, shown):
    """The name canvass gives each labelled column. Labels name a column by the file's first
    header row (a blank cell "", a repeat " (2)"); canvass may name it otherwise (SurveyMonkey's
    "Contact information - Name" from its second header row), so when inspect lists as many
    columns as were labelled, they are matched by position, as both list them in file order."""
    labelled_names = list(spec["kinds"])
    if len(shown) == len(labelled_names):
        return {label: name for label, (name, _) in zip(labelled_names, shown)}
    return {label: label for label in labelled_names}


def inspected_kinds(export, spec):
    """canvass's kind of every column, in file order, as `inspect --json` gives them."""
    args = [BINARY, "inspect", "--json", export]
    dictionary = spec["read_with"].get("dictionary")
    if dictionary:
        args += ["--dictionary", locate(dictionary)]
    if spec["read_with"].get("sheet"):
        args += ["--sheet", spec["read_with"]["sheet"]]
    out = subprocess.run(args, capture_output=True, text=True)
    if out.returncode != 0:
        print(f"inspect failed: {export}: {out.stderr.strip()[:300]}", file=sys.stderr)
        return []
    return [(c["name"], c["kind"]) for c in json.loads(out.stdout)["columns"]]


if __name__ == "__main__":
    main()
