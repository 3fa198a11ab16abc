#!/usr/bin/env bash
# Peak memory of `annals validate` on generated JSON Lines files of N
# records (100,000 by default; N=1000000 for the million the README
# quotes): mixed records (10% actors), the same with 1% invalid, and
# actors only, the worst case for the checker, which keeps every actor's
# names. Prints one line per run, then the ratio of actor-only to mixed;
# exits 1 when a run goes over LIMIT_MB (200 by default).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000}
LIMIT_MB=${LIMIT_MB:-200}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/annals" ./cmd/annals
go build -o "$tmp/rss" ./bench/rss
go run ./bench/gen -n "$N" -seed 1 > "$tmp/valid.jsonl"
go run ./bench/gen -n "$N" -seed 1 -invalid 0.01 > "$tmp/invalid.jsonl"
go run ./bench/gen -n "$N" -seed 1 -actors > "$tmp/actors.jsonl"
echo "# $(go version), $(nproc) cores, $(du -h "$tmp/valid.jsonl" | cut -f1) mixed, $(du -h "$tmp/actors.jsonl" | cut -f1) actors only"
"$tmp/rss" -max-mb "$LIMIT_MB" -label "validate $N mixed" -- "$tmp/annals" validate "$tmp/valid.jsonl" | tee "$tmp/mixed.out"
"$tmp/rss" -max-mb "$LIMIT_MB" -label "validate $N mixed (1% invalid)" -- "$tmp/annals" validate "$tmp/invalid.jsonl"
"$tmp/rss" -max-mb "$LIMIT_MB" -label "validate $N actors only" -- "$tmp/annals" validate "$tmp/actors.jsonl" | tee "$tmp/actors.out"
peak() { sed -n 's/.*peak_rss=\([0-9.]*\) MiB.*/\1/p' "$1" | tail -1; }
awk -v a="$(peak "$tmp/actors.out")" -v m="$(peak "$tmp/mixed.out")" \
  'BEGIN { printf "actors only / mixed peak memory at the same count: %.2fx (target: at most 2x)\n", a / m }'
