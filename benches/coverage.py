#!/usr/bin/env python3
"""How much of a questionnaire reaches the report, as a new user gets it.

For every export with hand-labelled column kinds (tests/fixtures/expected-kinds.json, labelled
by reading the files, never canvass's output), runs `canvass init EXPORT > survey.toml` and
`canvass run` on a one-wave pipeline with no edit, then looks in the files the run wrote for each
answerable column (likert, single-choice, multi-select, numeric, free-text): items.csv,
choices.csv, numbers.csv and comments.csv name the export column each row came from.

Usage: python3 benches/coverage.py [CANVASS_BINARY]   (default target/release/canvass)
Prints a table per kind: answerable columns, and how many reached the report's tables.
"""
import csv
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target/release/canvass")
ANSWERABLE = ["likert", "single-choice", "multi-select", "numeric", "free-text"]


def locate(relative):
    for base in ("tests/fixtures/exports", "../shared/fixtures/exports"):
        p = os.path.join(ROOT, base, relative)
        if os.path.exists(p):
            return p
    return None


def columns_in(path, field):
    if not os.path.exists(path):
        return set()
    with open(path, newline="", encoding="utf-8") as f:
        return {row[field] for row in csv.DictReader(f)}


def main():
    labels = json.load(open(os.path.join(ROOT, "tests/fixtures/expected-kinds.json")))["files"]
    total, reached = Counter(), Counter()
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
            else:
                open(os.path.join(d, "survey.toml"), "w").write(draft.stdout)
                open(os.path.join(d, "p.toml"), "w").write(
                    'name = "c"\nsurvey = "survey.toml"\noutput = "out"\n' + wave
                )
                run = subprocess.run([BINARY, "run", os.path.join(d, "p.toml"), "--quiet"],
                                     capture_output=True, text=True)
                w = os.path.join(d, "out", "w1")
                got = set()
                if run.returncode != 0:
                    print(f"run failed: {name}: {run.stderr.strip()[:300]}", file=sys.stderr)
                else:
                    got |= columns_in(os.path.join(w, "items.csv"), "column")
                    got |= columns_in(os.path.join(w, "choices.csv"), "column")
                    got |= columns_in(os.path.join(w, "numbers.csv"), "column")
                    got |= columns_in(os.path.join(w, "comments.csv"), "column")
                    got |= columns_in(os.path.join(w, "rankings.csv"), "column")
        file_total = file_reached = 0
        for column, kind in spec["kinds"].items():
            if kind not in ANSWERABLE:
                continue
            total[kind] += 1
            file_total += 1
            if column in got:
                reached[kind] += 1
                file_reached += 1
        per_file.append((name, file_reached, file_total))
    for name, r, t in per_file:
        print(f"{name:80} {r:4}/{t:<4}")
    print()
    print(f"{'kind':15} {'columns':>8} {'in the report':>14} {'share':>7}")
    for kind in ANSWERABLE:
        t, r = total[kind], reached[kind]
        print(f"{kind:15} {t:8} {r:14} {100 * r / max(t, 1):6.1f}%")
    t, r = sum(total.values()), sum(reached.values())
    print(f"{'all':15} {t:8} {r:14} {100 * r / max(t, 1):6.1f}%")


if __name__ == "__main__":
    main()
