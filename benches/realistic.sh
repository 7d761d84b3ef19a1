#!/usr/bin/env bash
# Side-by-side benchmarks on realistic exports (issue #16): a national staff survey written by
# `canvass synth` in Qualtrics' layout (3 header rows, 17 metadata columns with names, e-mail and
# IP, 30 items answered as choice-text labels, region, role, a single choice, a check-all
# question joined in one cell and one spread over four columns, a number, a four-way ranking, two
# open questions answered by ~70 % each, previews, tests, unfinished and duplicate responses).
# An export written before the survey gained its further questions is written again. canvass and its peers (pandas, Polars,
# scikit-learn) read the same file, alternately, ROUNDS times; each line is one process: wall
# seconds, MB/s of the export, peak resident memory.
#
#   bash benches/realistic.sh [SIZES…]        default: 200000 1000000; ROUNDS=3 by default
#
# Needs python3 with pandas, polars and scikit-learn for the peers (skipped when missing).
# Run on a quiet machine: timings are figures, not verdicts.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-200000 1000000}")
read -r -a sizes <<<"${sizes[*]}"
rounds="${ROUNDS:-3}"
survey=benches/national-survey.toml
bin=target/release/canvass
dir=target/bench
mkdir -p "$dir"
cargo build --release --quiet

measure() { # name file command…: one line "name  seconds  MB/s  peak MiB"
  local name=$1 file=$2
  shift 2
  local out
  /usr/bin/time -o "$dir/time.txt" -f "%e %M" "$@" >/dev/null 2>&1
  out=$(tail -1 "$dir/time.txt")
  local secs=${out% *} kib=${out#* }
  local mb
  mb=$(stat -c %s "$file")
  awk -v n="$name" -v s="$secs" -v k="$kib" -v b="$mb" \
    'BEGIN { printf "%-44s %7.2f s %7.0f MB/s %6.0f MiB\n", n, s, b / 1e6 / s, k / 1024 }'
}

have_py() { python3 -c "import $1" 2>/dev/null; }

for n in "${sizes[@]}"; do
  export_file="$dir/national-$n.csv"
  if [ ! -f "$export_file" ] || ! head -1 "$export_file" | grep -q 'Q9_4'; then
    "$bin" synth --survey "$survey" --responses "$n" --seed 1 --layout qualtrics >"$export_file.partial" 2>/dev/null
    mv "$export_file.partial" "$export_file"
  fi
  # A one-wave pipeline over the export: the whole run, k chosen by silhouette.
  pipeline="$dir/national-$n.toml"
  cat >"$pipeline" <<TOML
name = "national-$n"
survey = "$(pwd)/$survey"
output = "$(pwd)/$dir/national-$n-report"
seed = 42
suppress_below = 10
confidence = 0.95
[themes]
k = "auto"
quotes = 3
[[waves]]
name = "wave-1"
export = "$(pwd)/$export_file"
TOML
  echo "== $n respondents: $export_file ($(($(stat -c %s "$export_file") / 1000000)) MB)"
  for _ in $(seq "$rounds"); do
    measure "canvass score (no survey file)" "$export_file" "$bin" score "$export_file" --json
    have_py pandas && measure "pandas (benches/pandas_score.py)" "$export_file" python3 benches/pandas_score.py "$export_file"
    have_py polars && measure "polars (benches/polars_score.py)" "$export_file" python3 benches/polars_score.py "$export_file"
    measure "canvass score --survey" "$export_file" "$bin" score "$export_file" --survey "$survey" --json
    measure "canvass themes --k 6" "$export_file" "$bin" themes "$export_file" --text Q4 --k 6 --json
    have_py sklearn && measure "scikit-learn LSA + k-means, k = 6" "$export_file" python3 benches/sklearn_themes.py --export "$export_file" Q4 6
  done
  measure "canvass themes --k auto" "$export_file" "$bin" themes "$export_file" --text Q4 --k auto --json
  for _ in $(seq "$rounds"); do
    # From nothing: a run over an earlier run's folder would reuse every stage.
    rm -rf "$dir/national-$n-report"
    measure "canvass run (k auto, all formats)" "$export_file" "$bin" run "$pipeline"
  done
  measure "canvass run again (every stage reused)" "$export_file" "$bin" run "$pipeline"
done
