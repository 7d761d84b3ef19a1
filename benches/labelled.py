"""What benches/coverage.py and benches/figures.py share: their options and where the labelled
exports are."""
import argparse
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FOLDERS = ("tests/fixtures/exports", "../shared/fixtures/exports",
           "tests/fixtures/unseen", "../unseen-extra", "../unseen-batch3",
           "../unseen-batch4", "../unseen-batch5", "../unseen-batch6", "../unseen-batch7",
           "../unseen-batch8", "../unseen-batch9", "../unseen-batch10",
           "../unseen-batch11", "../unseen-batch12", "../unseen-batch13", "../unseen-batch14", "../unseen-batch15",
           "../unseen-batch16", "../unseen-batch17")


def options():
    """The binary, the labels file and the set to measure, from the command line."""
    args = argparse.ArgumentParser()
    args.add_argument("binary", nargs="?", default=os.path.join(ROOT, "target/release/canvass"))
    args.add_argument("--labels", default=os.path.join(ROOT, "tests/fixtures/expected-kinds.json"))
    args.add_argument("--set", dest="subset")
    return args.parse_args()


def labelled(opts):
    """The labelled files of the set asked for, by their path below one of FOLDERS."""
    files = json.load(open(opts.labels))["files"]
    if opts.subset:
        files = {k: v for k, v in files.items() if v.get("set") == opts.subset}
    return files


def locate(relative):
    """Where a labelled export (or dictionary) is here, or None."""
    for base in FOLDERS:
        p = os.path.join(ROOT, base, relative)
        if os.path.exists(p):
            return p
    return None
