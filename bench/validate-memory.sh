#!/usr/bin/env bash
# Peak memory of `annals validate` on a generated 100,000-record JSON Lines
# file: the foundation's target is well under 200 MB. Prints one line per
# run; exits 1 when a run goes over the limit.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000}
LIMIT_MB=${LIMIT_MB:-200}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/annals" ./cmd/annals
go run ./bench/gen -n "$N" -seed 1 > "$tmp/valid.jsonl"
go run ./bench/gen -n "$N" -seed 1 -invalid 0.01 > "$tmp/invalid.jsonl"
echo "# $(go version), $(nproc) cores, $(du -h "$tmp/valid.jsonl" | cut -f1) per file"
go run ./bench/rss -max-mb "$LIMIT_MB" -label "validate $N valid" -- "$tmp/annals" validate "$tmp/valid.jsonl"
go run ./bench/rss -max-mb "$LIMIT_MB" -label "validate $N (1% invalid)" -- "$tmp/annals" validate "$tmp/invalid.jsonl"
