#!/usr/bin/env bash
# The analyst outputs against their targets (issue 22): convert --to
# parquet and --to sqlite within twice the time of --to csv, in at most
# 150 MB, on a million generated records; annals diff of two 100,000-record
# datasets in seconds. The host's speed drifts by 20% and more within
# minutes, so the three formats take turns RUNS times (3 by default) and
# the ratios are of the median times.
#
#   bench/analyst.sh                        # 1,000,000 records: about 15 minutes
#   N=100000 RUNS=1 bench/analyst.sh        # a quick look
#   RECORDS=big.jsonl bench/analyst.sh      # records made before (bench/gen -seed 1)
#
# Prints a Markdown table after the machine and Go version; exits 0 whatever
# the numbers (it is a measurement, not a test).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000000}
RUNS=${RUNS:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/annals" ./cmd/annals
go build -o "$tmp/rss" ./bench/rss
echo "# $(go version), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
log() { echo "# $*" >&2; }

records=${RECORDS:-}
if [ -z "$records" ]; then
  log "generating $N records"
  records=$tmp/records.jsonl
  go run ./bench/gen -n "$N" -seed 1 >"$records"
fi

# run LABEL ARGS...: wall seconds and peak MiB of annals ARGS, as "wall rss".
run() {
  local out
  rm -rf "$tmp/out"
  out=$("$tmp/rss" -- "$tmp/annals" "$@" 2>/dev/null | tail -1)
  if ! grep -q 'exit=0' <<<"$out"; then
    echo "annals $* failed: $out" >&2
    exit 1
  fi
  sed -n 's/.*wall=\([0-9.]*\)s.*peak_rss=\([0-9.]*\) MiB.*/\1 \2/p' <<<"$out"
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

declare -A wall rss
formats=(csv parquet sqlite)
for ((r = 1; r <= RUNS; r++)); do
  for f in "${formats[@]}"; do
    log "convert --to $f ($r of $RUNS)"
    read -r w m < <(run convert "$records" --to "$f" -o "$tmp/out")
    wall[$f]="${wall[$f]:-} $w"
    rss[$f]="${rss[$f]:-} $m"
  done
done

echo
echo "| \`convert --to\`, $N records | median wall | runs | peak RSS (largest) | ÷ CSV | ≤ 2× CSV? | ≤ 150 MB (143 MiB)? |"
echo "| --- | ---: | --- | ---: | ---: | --- | --- |"
csv=$(median ${wall[csv]})
for f in "${formats[@]}"; do
  # shellcheck disable=SC2086
  t=$(median ${wall[$f]}) m=$(printf '%s\n' ${rss[$f]} | sort -g | tail -1)
  awk -v f="$f" -v t="$t" -v c="$csv" -v m="$m" -v runs="${wall[$f]# }" 'BEGIN {
    r = t / c
    printf "| %s | %.1f s | %s | %.0f MiB | %.2f | %s | %s |\n", f, t, runs, m, r,
      (f == "csv" ? "" : (r <= 2 ? "yes" : "no")), (m <= 143 ? "yes" : "no")
  }'
done

# Two 100,000-record datasets that differ in some 270 dates (every 300th line, where it has one).
log "diff of two 100,000-record datasets"
go run ./bench/gen -n 100000 -seed 1 >"$tmp/old.jsonl"
awk 'NR % 300 == 7 { sub(/"date":"20/, "\"date\":\"19") } { print }' "$tmp/old.jsonl" >"$tmp/new.jsonl"
out=$("$tmp/rss" -- "$tmp/annals" diff "$tmp/old.jsonl" "$tmp/new.jsonl" 2>/dev/null | tail -1)
echo
echo "annals diff, two 100,000-record datasets: $(sed -n 's/.*wall=\([0-9.]*\)s.*peak_rss=\([0-9.]*\) MiB.*/\1 s, \2 MiB/p' <<<"$out") ($(sed -n 's/.*\(exit=[0-9]*\).*/\1/p' <<<"$out"): 1 when they differ)"
