#!/usr/bin/env bash
# The outputs a refactoring must not change (issue 20): make demo's, and
# validate's and every convert's on 10,000 generated records, valid and
# with 5% invalid, written into OUT with their SHA-256 in OUT/SHA256SUMS.
# Run it before and after, and compare the two SHA256SUMS:
#   bench/golden.sh /tmp/before; (change); bench/golden.sh /tmp/after
#   diff /tmp/before/SHA256SUMS /tmp/after/SHA256SUMS
set -euo pipefail
out=${1:?usage: bench/golden.sh OUT}
cd "$(dirname "$0")/.."
rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
go build -o "$out/annals" ./cmd/annals
a="$out/annals"
go run ./bench/gen -n 10000 -seed 1 > "$out/valid.jsonl"
go run ./bench/gen -n 10000 -seed 1 -invalid 0.05 > "$out/invalid.jsonl"

# What each command prints, and its exit code, is part of the output.
# Commands on the generated records run in OUT, with relative paths, so
# that the paths written into the outputs are the same wherever OUT is.
run() { # name, then the command
  local name=$1; shift
  set +e
  "$@" > "$out/$name.stdout" 2> "$out/$name.stderr"
  echo $? > "$out/$name.exit"
  set -e
}
repo=$(pwd)
cd "$out"
run validate-valid ./annals validate --format json --max-findings 0 --info valid.jsonl
run validate-invalid ./annals validate --format json --max-findings 0 --info invalid.jsonl
run validate-invalid-text ./annals validate --max-findings 0 --info invalid.jsonl
for to in xlsx csv jsonld json jsonl yaml; do
  run "convert-valid-$to" ./annals convert valid.jsonl --to "$to" -o "valid-out.$to"
  run "convert-invalid-$to" ./annals convert invalid.jsonl --to "$to" -o "invalid-out.$to"
done
cd "$repo"
mkdir -p "$out/demo"
for to in xlsx jsonld json jsonl yaml; do
  run "demo-$to" "$a" convert samples --to "$to" -o "$out/demo/annals.$to"
done
run demo-csv "$a" convert samples --to csv -o "$out/demo/csv"
run demo-report "$a" report samples -o "$out/demo/report.html"
run demo-validate "$a" validate samples --info
sed -i "s#$out#OUT#g" "$out"/demo-*.stdout "$out"/demo-*.stderr

(cd "$out" && find . -type f ! -name annals ! -name SHA256SUMS -print0 | sort -z | xargs -0 sha256sum > SHA256SUMS)
echo "wrote $(wc -l < "$out/SHA256SUMS") sums to $out/SHA256SUMS"
