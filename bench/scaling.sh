#!/usr/bin/env bash
# Linear scaling: for every command, the time at ten times the records
# divided by the time at the smaller size (the issue's target: at most 11×
# from 100,000 to 1,000,000 records). The host's speed drifts by 20% and
# more within minutes, so the two sizes take turns RUNS times (3 by
# default) and the ratio is of the median times. A workbook cannot hold a
# million records' rows, so convert --to xlsx goes from 30,000 to 300,000.
#
#   bench/scaling.sh                     # 100,000 and 1,000,000: about 25 minutes
#   SMALL=10000 RUNS=1 bench/scaling.sh  # a quick look
#
# Prints a Markdown table after the machine and Go version; exits 0 even
# when a ratio is over 11 (it is a measurement, not a test).
set -euo pipefail
cd "$(dirname "$0")/.."
SMALL=${SMALL:-100000}
RUNS=${RUNS:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/annals" ./cmd/annals
go build -o "$tmp/rss" ./bench/rss
echo "# $(go version), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
log() { echo "# $*" >&2; }

# records N: the file of N generated records, made once.
records() {
  [ -f "$tmp/$1.jsonl" ] || go run ./bench/gen -n "$1" -seed 1 > "$tmp/$1.jsonl"
  echo "$tmp/$1.jsonl"
}
# seconds FILE ARGS...: the wall time of annals ARGS on FILE.
seconds() {
  local file=$1 out
  shift
  rm -rf "$tmp/out"
  out=$("$tmp/rss" -- "$tmp/annals" "$@" "$file" 2>/dev/null | tail -1)
  sed -n 's/.*wall=\([0-9.]*\)s.*/\1/p' <<<"$out"
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo
echo "| command | records | median time | 10× the records | median time | ratio | ≤ 11×? |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
for cmd in validate csv xlsx jsonld json jsonl yaml; do
  small=$SMALL
  if [ "$cmd" = xlsx ]; then small=$((SMALL * 3 / 10)); fi
  large=$((small * 10))
  args=(validate --max-findings 0)
  label="validate"
  if [ "$cmd" != validate ]; then
    args=(convert --to "$cmd" -o "$tmp/out")
    label="convert --to $cmd"
  fi
  a=() b=()
  for ((run = 1; run <= RUNS; run++)); do
    log "$label: $small and $large records ($run of $RUNS)"
    a+=("$(seconds "$(records "$small")" "${args[@]}")")
    b+=("$(seconds "$(records "$large")" "${args[@]}")")
  done
  ta=$(median "${a[@]}") tb=$(median "${b[@]}")
  awk -v l="$label" -v s="$small" -v L="$large" -v a="$ta" -v b="$tb" 'BEGIN {
    r = b / a
    printf "| %s | %d | %.2f s | %d | %.2f s | %.1f× | %s |\n", l, s, a, L, b, r, (r <= 11 ? "yes" : "no")
  }'
done
