#!/usr/bin/env bash
# Profiles the in-process render of one benchmark case with the driver in bench/profile/.
#
#   bash bench/profile.sh [CASE] [TOOL] [ITERATIONS]
#     CASE   typical (default) | minimal | large | volumes=N   (see engine/benches/common/mod.rs)
#     TOOL   callgrind (default): instruction counts per function (valgrind)
#            perf:     samples; hardware counters when the machine has them, else cpu-clock
#            stages:   median time of each stage of render_all
#            yaml:     median time of the library calls under template::parse, and of two
#                      other YAML parsers on the same text
#            allocs:   heap allocations and bytes allocated per render (valgrind's DHAT), and
#                      how many of them the output keeps; unlike times, these counts are the
#                      same on every machine
#
# Output files go to target/bench-profile/out/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CASE="${1:-typical}"
TOOL="${2:-callgrind}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target/bench-profile}"
OUT="$CARGO_TARGET_DIR/out"
BIN="$CARGO_TARGET_DIR/release/bench-profile"
mkdir -p "$OUT"

# The driver is its own workspace; start it from the project's lock file so both build the
# same dependency versions.
[ -f "$ROOT/bench/profile/Cargo.lock" ] || cp "$ROOT/Cargo.lock" "$ROOT/bench/profile/Cargo.lock"
cargo build --release -q --manifest-path "$ROOT/bench/profile/Cargo.toml"

default_iterations() {
  case "$1:$CASE" in
    callgrind:large | callgrind:volumes=* | allocs:large | allocs:volumes=*) echo 2 ;;
    callgrind:* | allocs:*) echo 50 ;;
    *:large | *:volumes=*) echo 30 ;;
    *) echo 2000 ;;
  esac
}
N="${3:-$(default_iterations "$TOOL")}"
tag="${CASE//=/-}"
short() { sed -E 's|/root/.cargo/registry/src/[^/]+/||g; s| \[[^]]*\]||g' | cut -c1-200; }

case "$TOOL" in
  stages | yaml)
    "$BIN" "$CASE" "$N" "$TOOL"
    ;;
  callgrind)
    command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
    file="$OUT/callgrind.$tag.out"
    valgrind --tool=callgrind --callgrind-out-file="$file" "$BIN" "$CASE" "$N" render 2>&1 \
      | grep -E "refs|iterations" >&2 || true
    echo "== $CASE: inclusive instructions, engine functions ($N renders + 1 warm-up)"
    callgrind_annotate --inclusive=yes "$file" 2>/dev/null \
      | grep -E "^ *[0-9,]+ \([ 0-9.]+%\)  /[^ ]*/engine/src/[^:]*:[^ ]*spark_render_engine::" \
      | grep -v "'2" | short | head -30
    echo "== $CASE: self instructions, all functions"
    callgrind_annotate "$file" 2>/dev/null | sed -n '/file:function/,$p' | sed -n '3,27p' | short
    echo "(full data: callgrind_annotate --inclusive=yes --tree=calling $file)"
    ;;
  allocs)
    command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
    file="$OUT/dhat.$tag.json"
    # The driver renders N times after one warm-up render; the request built before them
    # allocates little next to N + 1 renders.
    valgrind --tool=dhat --dhat-out-file="$file" "$BIN" "$CASE" "$N" render 2>&1 \
      | sed -nE 's/^==[0-9]+== Total: +([0-9,]+) bytes in ([0-9,]+) blocks/\1 \2/p' | tr -d , \
      | awk -v n="$N" '{ printf "%s: %.0f allocations, %.0f bytes allocated per render (%d renders + 1 warm-up)\n", "'"$CASE"'", $2 / (n + 1), $1 / (n + 1), n }'
    echo "(allocation sites: $file, for valgrind's dh_view.html)"
    # The same with every result kept (mode keep), for N and 2N renders: the difference is N
    # renders, whose blocks alive at exit are the output's and the others were temporaries.
    blocks() {
      valgrind --tool=dhat --dhat-out-file=/dev/null "$BIN" "$CASE" "$1" keep 2>&1 \
        | sed -nE 's/^==[0-9]+== (Total|At t-end): +([0-9,]+) bytes in ([0-9,]+) blocks/\2 \3/p' | tr -d , | tr '\n' ' '
    }
    read -r _ tk1 eb1 ek1 <<<"$(blocks "$N")"
    read -r _ tk2 eb2 ek2 <<<"$(blocks "$((2 * N))")"
    awk -v n="$N" -v tk=$((tk2 - tk1)) -v ek=$((ek2 - ek1)) -v eb=$((eb2 - eb1)) 'BEGIN {
      printf "of which the output keeps %.0f (%.0f bytes); the render frees %.0f itself\n", ek / n, eb / n, (tk - ek) / n }'
    ;;
  perf)
    command -v perf >/dev/null || { echo "perf is not installed (apt-get install linux-perf)" >&2; exit 1; }
    event=cpu-clock
    if perf stat -e instructions true 2>&1 | grep -q "not supported"; then
      echo "(no hardware counters here: sampling cpu-clock)" >&2
    else
      event=cycles
    fi
    file="$OUT/perf.$tag.data"
    perf record -q -e "$event" -F 10000 -g -o "$file" "$BIN" "$CASE" "$N" render >/dev/null
    perf report -i "$file" --no-children --sort sym --stdio 2>/dev/null | grep -E "^ +[0-9]" \
      | head -30 | short
    ;;
  *)
    echo "unknown TOOL $TOOL: callgrind | perf | stages | yaml | allocs" >&2
    exit 2
    ;;
esac
