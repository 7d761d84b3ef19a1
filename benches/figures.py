#!/usr/bin/env python3
"""Are the figures canvass writes for choice and number questions the raw file's?

For every labelled export (as benches/coverage.py: --labels FILE, --set NAME), runs `canvass
init` and `canvass run` with no edit, then recomputes from the export itself, read here with
Python's csv module or openpyxl (never canvass's reader), over the rows the run kept (the data
rows minus those exclusions.csv lists by their line in the file):
  - single choice (one column): the most chosen option's count in choices.csv equals the count
    of the most frequent answer in the raw column;
  - numbers: numbers.csv's mean equals the mean of the raw column's numeric answers.
Prints each disagreement and a count per kind.

Usage: python3 benches/figures.py [CANVASS_BINARY] [--labels FILE] [--set tuning|heldout]
"""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from labelled import ROOT, labelled, locate, options  # noqa: E402

OPTIONS = options()


def raw_rows(path):
    """Every row of the export's first sheet as lists of strings (line 1 first)."""
    if path.endswith(".xlsx"):
        import openpyxl
        sheet = openpyxl.load_workbook(path, read_only=True, data_only=True).worksheets[0]
        return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    if path.endswith((".csv", ".tsv")):
        data = open(path, "rb").read()
        for encoding in ("utf-8-sig", "utf-16", "cp1252"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        first = text.split("\n", 1)[0]
        delimiter = max(",;\t", key=first.count)
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return None


def number(s):
    try:
        return float(s.replace(",", "").strip())
    except ValueError:
        return None


def read_csv(path):
    if not os.path.exists(path):
        return []
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main():
    labels = labelled(OPTIONS)
    checked, agreed = Counter(), Counter()
    for name, spec in labels.items():
        export = locate(name)
        if export is None or spec["read_with"].get("sheet"):
            continue
        rows = raw_rows(export)
        if rows is None:
            continue
        with tempfile.TemporaryDirectory() as d:
            args = [OPTIONS.binary, "init", export]
            wave = f'[[waves]]\nname = "w1"\nexport = "{export}"\n'
            if spec["read_with"].get("dictionary"):
                dictionary = locate(spec["read_with"]["dictionary"])
                args += ["--dictionary", dictionary]
                wave += f'dictionary = "{dictionary}"\n'
            draft = subprocess.run(args, capture_output=True, text=True)
            if draft.returncode != 0:
                continue
            open(os.path.join(d, "survey.toml"), "w").write(draft.stdout)
            open(os.path.join(d, "p.toml"), "w").write(
                'name = "c"\nsurvey = "survey.toml"\noutput = "out"\n' + wave)
            run = subprocess.run([OPTIONS.binary, "run", os.path.join(d, "p.toml"), "--quiet"],
                                 capture_output=True, text=True)
            if run.returncode != 0 and "--keep-tests" in run.stderr:
                run = subprocess.run([OPTIONS.binary, "run", os.path.join(d, "p.toml"), "--quiet",
                                      "--keep-tests"], capture_output=True, text=True)
            if run.returncode != 0:
                continue
            w = os.path.join(d, "out", "w1")
            inspected = json.loads(subprocess.run(
                [OPTIONS.binary, "inspect", "--json", export], capture_output=True,
                text=True).stdout)
            header_rows = inspected["header_rows"]
            excluded = {int(r["row"]) for r in read_csv(os.path.join(w, "exclusions.csv"))}
            kept = [r for line, r in enumerate(rows, start=1)
                    if line > header_rows and line not in excluded and any(c.strip() for c in r)]
            # Columns by the file's own first header row; a repeated name's second is "N (2)".
            position, seen = {}, Counter()
            for i, n in enumerate(rows[0]):
                n = n.strip().lstrip("\ufeff")
                seen[n] += 1
                position.setdefault(n if seen[n] == 1 else f"{n} ({seen[n]})", i)

            def values(column):
                i = position.get(column)
                if i is None:
                    return None
                return [r[i].strip() if i < len(r) else "" for r in kept]

            by_question = {}
            for r in read_csv(os.path.join(w, "choices.csv")):
                if r["kind"] == "single-choice" and not r["net"]:
                    by_question.setdefault((r["id"], r["column"]), []).append(r)
            for (qid, column), options in by_question.items():
                if "," in column and column not in position:
                    continue
                raw = values(column)
                if raw is None:
                    continue
                answers = Counter(v for v in raw if v)
                if not answers:
                    continue
                checked["single-choice mode"] += 1
                top = max(int(o["count"]) for o in options)
                if top == answers.most_common(1)[0][1]:
                    agreed["single-choice mode"] += 1
                else:
                    print(f"{name} {column}: canvass's top count {top}, the file's "
                          f"{answers.most_common(1)}")
            for r in read_csv(os.path.join(w, "numbers.csv")):
                raw = values(r["column"])
                if raw is None:
                    continue
                numbers = [x for x in map(number, raw) if x is not None]
                if not numbers or not r["mean"]:
                    continue
                checked["number mean"] += 1
                mean = sum(numbers) / len(numbers)
                if abs(mean - float(r["mean"])) <= 1e-4 * max(1.0, abs(mean)):
                    agreed["number mean"] += 1
                else:
                    print(f"{name} {r['column']}: canvass's mean {r['mean']}, the file's {mean:.4f}"
                          f" over {len(numbers)}")
    for what in sorted(checked):
        print(f"{what:20} {agreed[what]:4} of {checked[what]:4} equal the file's")


if __name__ == "__main__":
    main()
