#!/usr/bin/env bash
# annals against its peers, on the same generated data in the same run:
#
#   validate        annals validate    vs ajv 8 in-process (Ajv2020, allErrors,
#                                         ajv-formats, annals' edtf and uri
#                                         formats ported in bench/peers/formats.js)
#                                      and the sourcemeta jsonschema CLI
#   convert --to csv                   vs a Python script doing the same job
#                                         (json module reads the records, csv
#                                         module writes the same bytes), and,
#                                         for information, Python's csv module
#                                         writing the rows already in memory
#   convert --to xlsx                  vs exceljs's streaming WorkbookWriter,
#                                         openpyxl write_only and xlsxwriter
#                                         constant_memory writing the same cells
#
# Each peer's row gives its speed, its peak resident memory and the annals
# ratio: annals' speed divided by the peer's, so 1.50× means annals is one and
# a half times as fast. For validation both sides are whole runs (start,
# schema compilation, reading, parsing, validating), and annals and ajv
# take turns RUNS times (3 by default): the ratio is of their medians. So do
# annals convert --to csv and the Python script that does the same job
# (whole runs of both; annals validates as well, Python does not). The
# spreadsheet peers are timed writing cells already in memory, while
# annals' time is the whole command, so their ratios are strict on annals.
#
# Before the tables, a differential check (also alone: --diff-only): DIFF_N
# generated records (default 20,000, at least 10,000), a tenth of them
# mutated by bench/peers/mutate.js (bad enum value, bad date, missing field,
# extra field, wrong JSON type; no bad references, which ajv cannot see), go
# through annals and ajv, and every record on which they disagree is printed.
# The JavaScript ports of the edtf and uri formats are first held to annals'
# own verdicts on 100,000 near-miss strings. Any disagreement fails the run
# (exit 1), after the tables.
#
# The peers are installed when absent, at the versions pinned in
# bench/peers/package.json (and its lock file), into bench/.peers/
# (gitignored): the npm ones with npm ci; openpyxl and xlsxwriter, if
# Debian's python3 lacks them, from Debian's packages with apt-get download,
# unpacked there. A peer that cannot be had is listed as not available.
#
#   bench/peers.sh                  # SIZES=100000 by default: a few minutes
#   SIZES=1000000 bench/peers.sh    # the issue's targets (much longer, GiBs of memory)
#   bench/peers.sh --diff-only
#
# The report goes to standard output, progress to standard error.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-100000}
DIFF_N=${DIFF_N:-20000}
DIFF_SEED=${DIFF_SEED:-1}
RUNS=${RUNS:-3}
diff_only=0
case "${1:-}" in
  "") ;;
  --diff-only) diff_only=1 ;;
  *) echo "usage: bench/peers.sh [--diff-only]   (env: SIZES, DIFF_N, DIFF_SEED, RUNS)" >&2; exit 2 ;;
esac
if [ "$DIFF_N" -lt 10000 ]; then
  echo "peers.sh: DIFF_N must be at least 10000" >&2
  exit 2
fi

peers=bench/.peers
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
log() { echo "# $*" >&2; }

# --- the peers ---------------------------------------------------------------

for tool in node npm go; do
  command -v "$tool" >/dev/null || { echo "peers.sh: $tool is not installed" >&2; exit 2; }
done

# The npm peers, reinstalled whenever the lock file changes.
node_dir=$peers/node
if ! cmp -s bench/peers/package-lock.json "$node_dir/.installed-lock" || [ ! -d "$node_dir/node_modules" ]; then
  log "installing ajv, ajv-formats, exceljs and @sourcemeta/jsonschema into $node_dir"
  rm -rf "$node_dir"
  mkdir -p "$node_dir"
  cp bench/peers/package.json bench/peers/package-lock.json "$node_dir/"
  (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error) >&2
  cp bench/peers/package-lock.json "$node_dir/.installed-lock"
fi
npm_version() { node -p "require('./$node_dir/node_modules/$1/package.json').version"; }

# Debian's python3, whose packages apt-get download fetches.
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3 || true)
deb_root=$peers/deb
export PYTHONPATH="$PWD/$deb_root/usr/lib/python3/dist-packages${PYTHONPATH:+:$PYTHONPATH}"

# deb_install PKG=VERSION...: unpacks Debian packages into $deb_root, at the
# pinned version or else the current one. Sets why on failure.
deb_install() {
  local d=$tmp/debs
  rm -rf "$d" && mkdir -p "$d"
  command -v apt-get >/dev/null || { why="no apt-get"; return 1; }
  local attempt
  for attempt in pinned unpinned updated; do
    local pkgs=("$@")
    [ "$attempt" = pinned ] || pkgs=("${@%%=*}")
    if [ "$attempt" = updated ]; then
      [ "$(id -u)" = 0 ] || break
      apt-get update -qq >/dev/null 2>&1 || break
    fi
    if (cd "$d" && apt-get download "${pkgs[@]}") >/dev/null 2>"$tmp/apt.err"; then
      mkdir -p "$deb_root"
      local deb
      for deb in "$d"/*.deb; do dpkg-deb -x "$deb" "$deb_root"; done
      return 0
    fi
  done
  why="apt-get download ${*%%=*} failed: $(grep -v '^W:' "$tmp/apt.err" | tail -1)"
  return 1
}

# python_peer MODULE PKG=VERSION...: says whether $py can import MODULE,
# installing the packages when it cannot. Sets why when not.
python_peer() {
  local module=$1
  shift
  why=""
  [ -n "$py" ] || { why="no python3"; return 1; }
  "$py" -c "import $module" 2>/dev/null && return 0
  log "installing $* into $deb_root"
  deb_install "$@" || return 1
  "$py" -c "import $module" 2>"$tmp/import.err" && return 0
  why="import $module failed: $(tail -1 "$tmp/import.err")"
  return 1
}
have_csv=0 have_openpyxl=0 have_xlsxwriter=0
why_csv="no python3" why_openpyxl="" why_xlsxwriter=""
if [ -n "$py" ]; then have_csv=1; fi
if [ "$diff_only" = 0 ]; then
  if python_peer openpyxl python3-openpyxl=3.0.9-1 python3-et-xmlfile=1.0.1-2.1; then have_openpyxl=1; else why_openpyxl=$why; fi
  if python_peer xlsxwriter python3-xlsxwriter=3.0.2-2; then have_xlsxwriter=1; else why_xlsxwriter=$why; fi
fi

# The sourcemeta CLI is a native binary inside its npm package; run it
# directly, since its node wrapper holds all output in memory.
sm_dir=$node_dir/node_modules/@sourcemeta/jsonschema/build/github-releases
case "$(uname -m)" in
  x86_64 | amd64) sm_arch=x86_64 ;;
  aarch64 | arm64) sm_arch=arm64 ;;
  *) sm_arch=$(uname -m) ;;
esac
sm_bin=$sm_dir/jsonschema-linux-$sm_arch
if ldd --version 2>&1 | grep -qi musl; then sm_bin=$sm_bin-musl; fi
have_sm=0 why_sm="no binary for linux-$sm_arch in @sourcemeta/jsonschema"
if [ -x "$sm_bin" ] && "$sm_bin" version >/dev/null 2>&1; then have_sm=1; fi

log "building annals and the helpers"
go build -o "$tmp/annals" ./cmd/annals
go build -o "$tmp/rss" ./bench/rss
go build -o "$tmp/formatverdicts" ./bench/peers/formatverdicts
go build -o "$tmp/xlsxcells" ./bench/peers/xlsxcells

echo "# $(go version), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "# node $(node --version), ajv $(npm_version ajv), ajv-formats $(npm_version ajv-formats), exceljs $(npm_version exceljs), @sourcemeta/jsonschema $(npm_version @sourcemeta/jsonschema)${py:+, $("$py" --version 2>&1)}"

# --- the differential check ----------------------------------------------------

diff_failed=0
log "differential check on $DIFF_N records"
echo
echo "## Differential check: annals and ajv on $DIFF_N records, a tenth mutated"
echo
if ! node bench/peers/format-check.js "$tmp/formatverdicts" 100000 "$DIFF_SEED"; then diff_failed=1; fi
go run ./bench/gen -n "$DIFF_N" -seed 1 > "$tmp/diff-base.jsonl"
node bench/peers/mutate.js schema "$DIFF_SEED" "$tmp/diff-base.jsonl" "$tmp/diff.jsonl" "$tmp/diff-mutations.tsv" 2>/dev/null
rc=0
"$tmp/annals" validate --max-findings 0 --format json "$tmp/diff.jsonl" > "$tmp/diff-annals.jsonl" 2>"$tmp/diff-annals.err" || rc=$?
if [ "$rc" -gt 1 ]; then
  echo "annals validate failed (exit $rc):" && tail -5 "$tmp/diff-annals.err"
  exit 1
fi
node bench/peers/ajv-validate.js --verdicts schema "$tmp/diff.jsonl" > "$tmp/diff-ajv.tsv" 2>/dev/null
if ! node bench/peers/diff.js "$tmp/diff.jsonl" "$tmp/diff-mutations.tsv" "$tmp/diff-annals.jsonl" "$tmp/diff-ajv.tsv"; then diff_failed=1; fi
if [ "$diff_only" = 1 ]; then exit "$diff_failed"; fi

# --- the benchmarks ------------------------------------------------------------

# measure LABEL CMD...: runs CMD under bench/rss; sets wall (s), peak (MiB)
# and code, and keeps its standard error in $tmp/LABEL.err.
measure() {
  local label=$1 out
  shift
  out=$("$tmp/rss" -label "$label" -- "$@" 2>"$tmp/$label.err")
  wall=$(sed -n 's/.*wall=\([0-9.]*\)s.*/\1/p' <<<"$out")
  peak=$(sed -n 's/.*peak_rss=\([0-9.]*\) MiB.*/\1/p' <<<"$out")
  code=$(sed -n 's/.*exit=\([0-9-]*\).*/\1/p' <<<"$out")
}
json() { node -p "JSON.parse(require('fs').readFileSync('$1','utf8')).$2"; }
# commas X: X rounded, with thousands separators.
commas() { awk -v x="$1" 'BEGIN { s = sprintf("%.0f", x); out = ""; while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) } print s out }'; }
# rate N SECONDS: N per second.
rate() { commas "$(awk -v n="$1" -v t="$2" 'BEGIN { printf "%.0f", n / t }')"; }
mib() { awk -v x="$1" 'BEGIN { printf "%.0f MiB", x }'; }
# median X...: the middle value (the lower middle of an even count).
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# most X Y: the larger.
most() { awk -v x="$1" -v y="$2" 'BEGIN { print (x > y ? x : y) }'; }
# target T: the target column for a ratio of at least T, or information.
target() { if [ -n "$1" ]; then echo "≥ $1×"; else echo "information"; fi; }
# row TOOL WHAT SPEED RSS PEER_SECONDS ANNALS_SECONDS TARGET: a table row;
# without PEER_SECONDS it has no ratio.
row() {
  local ratio="" holds=""
  if [ -n "$5" ]; then
    ratio=$(awk -v p="$5" -v a="$6" 'BEGIN { printf "%.2f×", p / a }')
    if [ -n "$7" ]; then
      holds=$(awk -v p="$5" -v a="$6" -v t="$7" 'BEGIN { print (p / a >= t ? "yes" : "no") }')
    fi
    echo "| $1 | $2 | $3 | $4 | $ratio | $(target "$7") | $holds |"
  else
    echo "| $1 | $2 | $3 | $4 | | | |"
  fi
}
unavailable() { echo "| $1 | $2 | not available: $3 | | | $(target "$4") | ${4:+no} |"; }
failed() { echo "| $1 | $2 | failed: $(tail -1 "$3" | cut -c1-120) | | | $(target "$4") | ${4:+no} |"; }

# xlsx_peer NAME TARGET CMD...: runs a spreadsheet peer, which writes its
# figures into the JSON file named by its last argument, and adds its row.
xlsx_peer() {
  local name=$1 target=$2
  shift 2
  log "$name"
  if "$@" "$tmp/$name.json" 2>"$tmp/$name.err"; then
    table+=("$(row "$(json "$tmp/$name.json" version)" "write the same cells" "$(rate "$rows" "$(json "$tmp/$name.json" write_s)") rows/s" "$(mib "$(json "$tmp/$name.json" rss_peak_mib)") ($(mib "$(json "$tmp/$name.json" rss_loaded_mib)") with the cells loaded)" "$(json "$tmp/$name.json" write_s)" "$ax" "$target")")
  else
    table+=("$(failed "$name" "write the same cells" "$tmp/$name.err" "$target")")
  fi
  rm -f "$tmp/peer.xlsx"
}

# print_table N SIZE: the table of one size.
print_table() {
  echo
  echo "## $1 records ($2 of JSON Lines)"
  echo
  echo "| tool | what | records or rows/s | peak RSS | annals ratio | target | holds? |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
  printf '%s\n' "${table[@]}"
  echo
  echo "annals ratio: annals' speed ÷ the peer's. annals' convert times are the whole command (reading, validating, writing). The Python json + csv times are the whole script (reading, writing); the other peers' are writing only, with the rows or cells already in memory. Peak RSS is of the whole process."
}

for n in $SIZES; do
  log "generating $n records"
  go run ./bench/gen -n "$n" -seed 1 > "$tmp/records.jsonl"
  size=$(du -h "$tmp/records.jsonl" | cut -f1)
  table=()

  # annals and ajv take turns RUNS times, and each row gives the median
  # time and the highest peak: the host's speed drifts during a run.
  annals_walls=() ajv_walls=() annals_peak=0 ajv_peak=0 ajv_ok=1
  for ((run = 1; run <= RUNS; run++)); do
    log "annals validate ($run of $RUNS)"
    measure annals-validate "$tmp/annals" validate --max-findings 0 "$tmp/records.jsonl"
    [ "$code" = 0 ] || { echo "annals validate failed (exit $code)"; tail -3 "$tmp/annals-validate.err"; exit 1; }
    annals_walls+=("$wall")
    annals_peak=$(most "$annals_peak" "$peak")
    log "ajv ($run of $RUNS)"
    measure ajv node bench/peers/ajv-validate.js schema "$tmp/records.jsonl"
    if [ "$code" = 0 ] && grep -q ", 0 invalid" "$tmp/ajv.err"; then
      ajv_walls+=("$wall")
      ajv_peak=$(most "$ajv_peak" "$peak")
    else
      ajv_ok=0
      break
    fi
  done
  av=$(median "${annals_walls[@]}")
  table+=("$(row "annals" "validate $n records (median of $RUNS)" "$(rate "$n" "$av") records/s" "$(mib "$annals_peak")" "" "" "")")
  if [ "$ajv_ok" = 1 ]; then
    aw=$(median "${ajv_walls[@]}")
    table+=("$(row "ajv $(npm_version ajv) + ajv-formats $(npm_version ajv-formats)" "the same, in-process (allErrors; edtf, uri ported)" "$(rate "$n" "$aw") records/s" "$(mib "$ajv_peak")" "$aw" "$av" 1.2)")
  else
    table+=("$(failed ajv "the same, in-process" "$tmp/ajv.err" 1.2)")
  fi

  # The sourcemeta CLI takes one schema: records.schema.json sends each
  # record to its type's. -F asserts formats it knows (uri); it does not
  # know annals' edtf, so dates go unchecked there, which only helps it.
  for mode in exhaustive fast; do
    what="the same, --format-assertion, $mode mode; edtf not checked (unknown to it)"
    if [ "$have_sm" = 1 ]; then
      log "sourcemeta jsonschema ($mode)"
      flags=()
      [ "$mode" = fast ] && flags=(--fast)
      measure "sourcemeta-$mode" "$sm_bin" validate bench/peers/records.schema.json "$tmp/records.jsonl" \
        --resolve schema --format-assertion --continue "${flags[@]}"
      if [ "$code" = 0 ]; then
        table+=("$(row "sourcemeta jsonschema $(npm_version @sourcemeta/jsonschema)" "$what" "$(rate "$n" "$wall") records/s" "$(mib "$peak")" "$wall" "$av" "")")
      else
        table+=("$(failed "sourcemeta jsonschema" "$what" "$tmp/sourcemeta-$mode.err" "")")
      fi
    else
      table+=("$(unavailable "sourcemeta jsonschema" "$what" "$why_sm" "")")
    fi
  done

  # The CSV target compares the same job: from the same JSON Lines file to
  # the same CSV files. annals and a Python script (json and csv modules,
  # bench/peers/csv_convert.py) take turns RUNS times; the script's bytes
  # must be annals'. Python's csv module writing rows already in memory
  # (csv_write.py) is listed as well, for information.
  annals_walls=() py_walls=() annals_peak=0 py_peak=0 py_ok=$have_csv same=yes
  for ((run = 1; run <= RUNS; run++)); do
    log "annals convert --to csv ($run of $RUNS)"
    rm -rf "$tmp/csv"
    measure annals-csv "$tmp/annals" convert "$tmp/records.jsonl" --to csv -o "$tmp/csv"
    [ "$code" = 0 ] || { echo "annals convert --to csv failed (exit $code)"; tail -3 "$tmp/annals-csv.err"; exit 1; }
    annals_walls+=("$wall")
    annals_peak=$(most "$annals_peak" "$peak")
    [ "$py_ok" = 1 ] || continue
    log "Python json + csv ($run of $RUNS)"
    rm -rf "$tmp/csv-py"
    measure py-csv "$py" bench/peers/csv_convert.py "$tmp/records.jsonl" "$tmp/csv-py" "$tmp/csv-convert.json"
    if [ "$code" = 0 ]; then
      py_walls+=("$wall")
      py_peak=$(most "$py_peak" "$peak")
      for f in "$tmp"/csv/*.csv; do cmp -s "$f" "$tmp/csv-py/${f##*/}" || same=no; done
    else
      py_ok=0
    fi
  done
  ac=$(median "${annals_walls[@]}")
  if [ "$py_ok" = 1 ]; then
    rows=$(json "$tmp/csv-convert.json" rows)
    pw=$(median "${py_walls[@]}")
    table+=("$(row "annals" "convert --to csv: read, validate, write $(commas "$rows") rows (median of $RUNS)" "$(rate "$n" "$ac") records/s = $(rate "$rows" "$ac") rows/s" "$(mib "$annals_peak")" "" "" "")")
    table+=("$(row "$(json "$tmp/csv-convert.json" version)" "the same job: json module reads, csv module writes (identical bytes: $same)" "$(rate "$n" "$pw") records/s = $(rate "$rows" "$pw") rows/s" "$(mib "$py_peak")" "$pw" "$ac" 2)")
    if [ "$same" != yes ]; then diff_failed=1; fi
    log "Python csv, writing rows in memory"
    if "$py" bench/peers/csv_write.py "$tmp/csv" "$tmp/csv-write" "$tmp/csv.json" 2>"$tmp/csv-write.err"; then
      table+=("$(row "$(json "$tmp/csv.json" version)" "writing the same rows, already in memory (no reading)" "$(rate "$rows" "$(json "$tmp/csv.json" write_s)") rows/s" "$(mib "$(json "$tmp/csv.json" rss_peak_mib)") ($(mib "$(json "$tmp/csv.json" rss_loaded_mib)") with the rows loaded)" "$(json "$tmp/csv.json" write_s)" "$ac" "")")
    else
      table+=("$(failed "Python csv" "writing the same rows, already in memory" "$tmp/csv-write.err" "")")
    fi
  elif [ "$have_csv" = 1 ]; then
    table+=("$(row "annals" "convert --to csv (median of $RUNS)" "$(rate "$n" "$ac") records/s" "$(mib "$annals_peak")" "" "" "")")
    table+=("$(failed "Python json + csv" "the same job" "$tmp/py-csv.err" 2)")
  else
    table+=("$(row "annals" "convert --to csv (median of $RUNS)" "$(rate "$n" "$ac") records/s" "$(mib "$annals_peak")" "" "" "")")
    table+=("$(unavailable "Python json + csv" "the same job" "$why_csv" 2)")
  fi
  rm -rf "$tmp/csv" "$tmp/csv-py" "$tmp/csv-write"

  log "annals convert --to xlsx"
  measure annals-xlsx "$tmp/annals" convert "$tmp/records.jsonl" --to xlsx -o "$tmp/annals.xlsx"
  if [ "$code" != 0 ] && grep -q "rows an Excel sheet can hold" "$tmp/annals-xlsx.err"; then
    # Too many rows for a workbook (1M records): annals refuses, rightly,
    # and there is nothing to give the peers.
    table+=("$(row "annals" "convert --to xlsx: refused, more rows than an Excel sheet holds" "" "$(mib "$peak")" "" "" "")")
    table+=("$(unavailable "exceljs (streaming)" "write the same cells" "no workbook to compare with" 1.5)")
    print_table "$n" "$size"
    continue
  fi
  [ "$code" = 0 ] || { echo "annals convert --to xlsx failed (exit $code)"; tail -3 "$tmp/annals-xlsx.err"; exit 1; }
  ax=$wall ax_peak=$peak
  "$tmp/xlsxcells" "$tmp/annals.xlsx" > "$tmp/cells.jsonl"
  rows=$(grep -vc '^{' "$tmp/cells.jsonl" || true)
  sheets=$(grep -c '^{' "$tmp/cells.jsonl" || true)
  rm -f "$tmp/annals.xlsx"
  table+=("$(row "annals" "convert --to xlsx: read, validate, write $(commas "$rows") rows in $sheets sheets" "$(rate "$n" "$ax") records/s, $(rate "$rows" "$ax") rows/s" "$(mib "$ax_peak")" "" "" "")")

  heap=$(awk '/MemTotal/ { printf "%d", $2 / 1024 * 3 / 4 }' /proc/meminfo)
  xlsx_peer exceljs 1.5 node --max-old-space-size="$heap" bench/peers/exceljs-write.js "$tmp/cells.jsonl" "$tmp/peer.xlsx"
  if [ "$have_openpyxl" = 1 ]; then
    xlsx_peer openpyxl "" "$py" bench/peers/xlsx_write.py openpyxl "$tmp/cells.jsonl" "$tmp/peer.xlsx"
  else
    table+=("$(unavailable "openpyxl (write_only)" "write the same cells" "$why_openpyxl" "")")
  fi
  if [ "$have_xlsxwriter" = 1 ]; then
    xlsx_peer xlsxwriter "" "$py" bench/peers/xlsx_write.py xlsxwriter "$tmp/cells.jsonl" "$tmp/peer.xlsx"
  else
    table+=("$(unavailable "xlsxwriter (constant_memory)" "write the same cells" "$why_xlsxwriter" "")")
  fi
  rm -f "$tmp/cells.jsonl"
  print_table "$n" "$size"
done
exit "$diff_failed"
