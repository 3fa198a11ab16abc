#!/usr/bin/env bash
# annals validate against ajv on records that carry a study's own fields
# (issue 21): the generated statements get the three fields of the README's
# example extension (an enumeration, a bounded whole number, a reference to
# an actor), the dataset's manifest names the extension, and ajv gets the
# statement schema with the fields merged in (annals schema --type statement
# DATASET). Both are whole runs, taking turns RUNS times; the ratio is of
# the medians. Needs node, and ajv installed by bench/peers.sh.
#
#   bench/peers-extension.sh            # 100,000 records
#   N=1000000 bench/peers-extension.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000}
RUNS=${RUNS:-3}
[ -d bench/.peers/node/node_modules/ajv ] || { echo "peers-extension.sh: run bench/peers.sh first, to install ajv" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/annals" ./cmd/annals
go build -o "$tmp/rss" ./bench/rss
mkdir -p "$tmp/study/codebook" "$tmp/schemas"
cat > "$tmp/study/annals.yaml" <<'YAML'
title: Benchmark with a study's own fields
license: CC0-1.0
version: 1.0.0
base_iri: https://example.org/bench/
curators: [{name: Bench}]
extensions:
  statement: codebook/statement.schema.json
YAML
cat > "$tmp/study/codebook/statement.schema.json" <<'JSON'
{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "properties": {
  "tone": {"title": "Tone", "description": "How the statement sounds.", "type": "string", "enum": ["conciliatory", "neutral", "hostile"]},
  "intensity": {"title": "Intensity", "description": "From 1 (mild) to 5 (strong).", "type": "integer", "minimum": 1, "maximum": 5},
  "target": {"title": "Target", "description": "The actor the statement is aimed at.", "type": "string", "x-refers-to": "actor"}}}
JSON
# The statements get the fields, the target being their own speaker: valid.
go run ./bench/gen -n "$N" -seed 1 | python3 -c '
import json, sys
tones = ["conciliatory", "neutral", "hostile"]
for i, line in enumerate(sys.stdin):
    r = json.loads(line)
    if r.get("type") == "statement":
        r["tone"], r["intensity"], r["target"] = tones[i % 3], 1 + i % 5, r["speaker"]
    sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
' > "$tmp/study/records.jsonl"
cp schema/*.schema.json "$tmp/schemas/"
"$tmp/annals" schema --type statement "$tmp/study" > "$tmp/schemas/statement.schema.json"
echo "# $(go version), $(nproc) cores, commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $N records with a statement extension"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
: > "$tmp/annals.t"; : > "$tmp/ajv.t"
# time NAME COMMAND...: one whole run, which must find the records valid.
time_run() {
  local name=$1 line; shift
  line=$("$tmp/rss" -label "$name" -- "$@" 2>/dev/null)
  case $line in *exit=0*) ;; *) echo "peers-extension.sh: $name does not find the records valid: $line" >&2; exit 1 ;; esac
  echo "$line" | sed 's/.*wall=\([0-9.]*\)s.*/\1/' >> "$tmp/$name.t"
}
for ((run = 1; run <= RUNS; run++)); do
  time_run annals "$tmp/annals" validate --max-findings 0 "$tmp/study"
  time_run ajv node bench/peers/ajv-validate.js "$tmp/schemas" "$tmp/study/records.jsonl"
done
a=$(median < "$tmp/annals.t"); j=$(median < "$tmp/ajv.t")
echo "annals validate: ${a}s (median of $RUNS)"
echo "ajv:             ${j}s (median of $RUNS)"
echo "annals is $(awk -v a="$a" -v j="$j" 'BEGIN {printf "%.2f", j / a}')x ajv's speed"
