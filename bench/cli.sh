#!/usr/bin/env bash
# Times the whole `spark-render all` process (release build) against the reference renderer
# (`../shared/spark-oracle/render.sh --role all`) and against a trivial process that writes the
# same bytes (`cat` of spark-render's saved output), on one golden case, with the same inputs
# (the flags `cli/tests/common/mod.rs` passes). Prints the medians, the ratios and the peak
# RSS of each.
#
#   bash bench/cli.sh [CASE_DIR]       (default testdata/driver/example-templates)
#
#   RUNS=200          runs of spark-render and of cat
#   ORACLE_RUNS=10    runs of the reference renderer (about 1.3 s each)
#   RSS_RUNS=5        runs under /usr/bin/time -f %M for each peak RSS (median printed)
#   SPARK_ORACLE_RENDER=path/to/render.sh
#   NO_ORACLE=1       skip the reference renderer
#   NO_HYPERFINE=1    time with the loop even when hyperfine is there
#
# Uses hyperfine when installed (Debian package `hyperfine`; installed with apt-get when
# missing and possible), else a loop timed with bash's $EPOCHREALTIME (the wall time
# `/usr/bin/time` prints has 10 ms steps; it measures the peak RSS).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CASE="$(cd "${1:-$ROOT/testdata/driver/example-templates}" && pwd)"
ORACLE="${SPARK_ORACLE_RENDER:-$ROOT/../shared/spark-oracle/render.sh}"
RUNS="${RUNS:-200}"
ORACLE_RUNS="${ORACLE_RUNS:-10}"
RSS_RUNS="${RSS_RUNS:-5}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
BIN="$TARGET_DIR/release/spark-render"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/spark-render-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

log() { echo "bench/cli.sh: $*" >&2; }

(cd "$ROOT" && cargo build --release -q -p spark-render)

have_hyperfine() { [ -z "${NO_HYPERFINE:-}" ] && command -v hyperfine >/dev/null; }
if [ -z "${NO_HYPERFINE:-}" ] && ! command -v hyperfine >/dev/null && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  log "installing hyperfine"
  apt-get install -y -qq hyperfine >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq hyperfine >/dev/null 2>&1; } \
    || log "hyperfine could not be installed; timing with a loop"
fi

# The inputs: the defaults of cli/tests/common/mod.rs (case.json, when present, is not read:
# the default case has none).
APP_ID=spark-00000000000000000000000000000000
UNIQUE_ID=0123456789abcdef
SUBMIT_TIME=1700000000000
USER_NAME=spark
DRIVER_UID=00000000-0000-0000-0000-00000000d001
EXECUTOR_UID=00000000-0000-0000-0000-00000000e001
LOCAL_DIR_UUID=00000000-0000-0000-0000-000000000000
MAIN_CLASS=org.apache.spark.examples.SparkPi
MAIN_RESOURCE=local:///opt/spark/examples/jars/spark-examples.jar

# Environment variables the submitter's shell could leak into a render (unset here rather
# than with `env -u`, which would add a second exec to every timed run).
unset SPARK_USER HADOOP_USER_NAME SPARK_LOCAL_DIRS SPARK_CONF_DIR SPARK_HOME HADOOP_CONF_DIR \
  PYSPARK_PYTHON PYSPARK_DRIVER_PYTHON
OURS=("$BIN" all --executor-id 1 --driver-pod-ip DRIVER_POD_IP
  --auth-secret SPARK_AUTH_SECRET_PLACEHOLDER "--executor-uid=1=$EXECUTOR_UID"
  --properties-file spark.properties --app-id "$APP_ID" --unique-id "$UNIQUE_ID"
  --submit-time "$SUBMIT_TIME" --spark-user "$USER_NAME" --driver-uid "$DRIVER_UID"
  --local-dir-uuid "$LOCAL_DIR_UUID" --upload-uuid "$LOCAL_DIR_UUID" --class "$MAIN_CLASS"
  "$MAIN_RESOURCE")
THEIRS=(bash "$ORACLE" --role all --executor-id 1 --driver-pod-ip DRIVER_POD_IP
  --executor-uid "$EXECUTOR_UID" --app-id "$APP_ID" --unique-id "$UNIQUE_ID"
  --submit-time "$SUBMIT_TIME" --user "$USER_NAME" --driver-uid "$DRIVER_UID"
  --local-dir-uuid "$LOCAL_DIR_UUID" --main-class "$MAIN_CLASS" --main-resource "$MAIN_RESOURCE"
  spark.properties)
TRIVIAL=(cat "$WORK/ours.yaml")

cd "$CASE"
"${OURS[@]}" >"$WORK/ours.yaml" 2>"$WORK/ours.err" || { cat "$WORK/ours.err" >&2; exit 1; }
have_oracle=""
if [ -n "${NO_ORACLE:-}" ]; then
  :
elif [ ! -f "$ORACLE" ]; then
  log "no reference renderer at $ORACLE (skipped)"
elif "${THEIRS[@]}" >"$WORK/oracle.yaml" 2>"$WORK/oracle.err"; then
  have_oracle=1
else
  log "the reference renderer failed (skipped):"; cat "$WORK/oracle.err" >&2
fi

# The command as one string for hyperfine -N (no argument here contains white space).
joined() { local IFS=' '; echo "$*"; }

# median_seconds NAME RUNS WARMUP CMD... -> prints the median wall time in seconds.
median_seconds() {
  local name="$1" runs="$2" warmup="$3"; shift 3
  if have_hyperfine; then
    hyperfine -N --style none --warmup "$warmup" --runs "$runs" \
      --export-json "$WORK/$name.json" "$(joined "$@")" >/dev/null 2>"$WORK/$name.hyperfine.err" \
      || { cat "$WORK/$name.hyperfine.err" >&2; return 1; }
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' \
      "$WORK/$name.json"
  else
    # $EPOCHREALTIME (bash 5) reads the clock without forking a process.
    local i start end
    for ((i = 0; i < warmup; i++)); do "$@" >/dev/null 2>&1; done
    for ((i = 0; i < runs; i++)); do
      start=${EPOCHREALTIME/[.,]/}; "$@" >/dev/null 2>&1; end=${EPOCHREALTIME/[.,]/}
      echo $((end - start))
    done | sort -n | awk '{ a[NR] = $1 } END {
      m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.9f\n", m / 1e6 }'
  fi
}

# peak_rss_kb CMD... -> the median of RSS_RUNS peak resident set sizes, in KiB.
peak_rss_kb() {
  local i
  for ((i = 0; i < RSS_RUNS; i++)); do
    /usr/bin/time -f %M -o "$WORK/rss" "$@" >/dev/null 2>&1
    tail -n 1 "$WORK/rss"
  done | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

tool="a loop timed with \$EPOCHREALTIME"
have_hyperfine && tool="$(hyperfine --version)"
log "timing with $tool in $CASE"
ours_s=$(median_seconds ours "$RUNS" 10 "${OURS[@]}")
cat_s=$(median_seconds trivial "$RUNS" 10 "${TRIVIAL[@]}")
ours_rss=$(peak_rss_kb "${OURS[@]}")
cat_rss=$(peak_rss_kb "${TRIVIAL[@]}")
if [ -n "$have_oracle" ]; then
  oracle_s=$(median_seconds oracle "$ORACLE_RUNS" 1 "${THEIRS[@]}")
  oracle_rss=$(peak_rss_kb "${THEIRS[@]}")
fi

ms() { awk -v s="$1" 'BEGIN { printf "%.3f ms", s * 1000 }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f MB (%d KiB)", k / 1024, k }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

echo "case: ${CASE#"$ROOT"/}   ($tool)"
echo "output: $(wc -c <"$WORK/ours.yaml") bytes from spark-render${have_oracle:+, $(wc -c <"$WORK/oracle.yaml") bytes from the reference renderer}"
printf '%-34s %14s   %s\n' "process" "median" "peak RSS"
printf '%-34s %14s   %s\n' "spark-render all ($RUNS runs)" "$(ms "$ours_s")" "$(mb "$ours_rss")"
printf '%-34s %14s   %s\n' "cat of the same bytes ($RUNS runs)" "$(ms "$cat_s")" "$(mb "$cat_rss")"
if [ -n "$have_oracle" ]; then
  printf '%-34s %14s   %s\n' "reference renderer ($ORACLE_RUNS runs)" "$(ms "$oracle_s")" "$(mb "$oracle_rss")"
  echo "reference / spark-render: $(ratio "$oracle_s" "$ours_s")x faster   (target >= 500x)"
fi
echo "spark-render / cat:       $(ratio "$ours_s" "$cat_s")x   (target <= 3x)"
echo "spark-render peak RSS:    $(mb "$ours_rss")   (target <= 15 MB)"
