#!/usr/bin/env bash
# Records per second and peak memory of `annals validate` and of `annals
# convert` to every format, on generated datasets of each size in SIZES
# (default 10,000 and 100,000; add 1000000 for the issue's targets, which
# takes several minutes). Prints one line per command and size, after the
# machine and Go version.
#
# PROFILE=1 also writes a pprof CPU profile and an allocation profile of
# every command into bench/profiles/ (read them with
# `go tool pprof -top bin/annals bench/profiles/validate-100000.cpu.prof`).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-10000 100000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/annals" ./cmd/annals
go build -o "$tmp/rss" ./bench/rss
echo "# $(go version), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ "${PROFILE:-}" = 1 ]; then
  mkdir -p bench/profiles
  echo "# profiles in bench/profiles/"
fi
# profile LABEL: the environment that makes annals write LABEL's profiles.
profile() {
  if [ "${PROFILE:-}" = 1 ]; then
    echo "ANNALS_CPUPROFILE=bench/profiles/$1.cpu.prof ANNALS_MEMPROFILE=bench/profiles/$1.allocs.prof"
  fi
}
for n in $SIZES; do
  go run ./bench/gen -n "$n" -seed 1 > "$tmp/records.jsonl"
  echo "# $n records, $(du -h "$tmp/records.jsonl" | cut -f1)"
  env $(profile "validate-$n") "$tmp/rss" -records "$n" -label "validate $n" -- "$tmp/annals" validate --max-findings 0 "$tmp/records.jsonl" 2>/dev/null
  for to in csv xlsx jsonld json jsonl yaml; do
    out="$tmp/out.$to"
    rm -rf "$out"
    env $(profile "convert-$to-$n") "$tmp/rss" -records "$n" -label "convert --to $to $n" -- "$tmp/annals" convert "$tmp/records.jsonl" --to "$to" -o "$out" 2>/dev/null
  done
done
