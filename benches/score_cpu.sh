#!/usr/bin/env bash
# `canvass score EXPORT --json` without a survey file (issue #16), timed by CPU as well as wall
# clock: on a shared machine wall time says how busy the others are, user + sys how much work
# canvass did. With BASE set to another canvass binary (say, one built from main), the two
# alternate on the same export and their JSON must be byte-identical.
#
#   bash benches/score_cpu.sh [EXPORT…]      default: target/bench/national-200000.csv
#   BASE=/path/to/old/canvass ROUNDS=3 bash benches/score_cpu.sh target/bench/national-1000000.csv
#
# Exports come from `canvass synth --survey benches/national-survey.toml --responses N --seed 1
# --layout qualtrics` (benches/realistic.sh writes them).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/canvass
rounds="${ROUNDS:-3}"
exports=("${@:-target/bench/national-200000.csv}")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

run() { # label binary export: one line "label  wall  user  sys  user+sys  peak MiB"
  /usr/bin/time -o "$out/time" -f "%e %U %S %M" "$2" score "$3" --json >"$out/$1.json"
  read -r wall user sys kib <"$out/time"
  awk -v n="$1" -v w="$wall" -v u="$user" -v s="$sys" -v k="$kib" \
    'BEGIN { printf "%-8s %6.2f s wall %6.2f s user %5.2f s sys %6.2f s cpu %5.0f MiB\n", n, w, u, s, u + s, k / 1024 }'
}

for export in "${exports[@]}"; do
  echo "== $export ($(($(stat -c %s "$export") / 1000000)) MB)"
  for _ in $(seq "$rounds"); do
    run new "$bin" "$export"
    if [ -n "${BASE:-}" ]; then
      run base "$BASE" "$export"
      cmp -s "$out/new.json" "$out/base.json" || { echo "JSON differs from BASE's" >&2; exit 1; }
    fi
  done
done
