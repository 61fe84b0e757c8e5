#!/usr/bin/env bash
# Regenerate the driver golden files with the reference renderer (real Spark 3.5.3 builders).
#
#   scripts/regen-goldens.sh [CASE...]      (default: every case)
#
#   testdata/driver/<case>/        -> oracle.yaml       (the render must succeed)
#   testdata/deviations/<case>/    -> oracle.yaml       (Spark renders; spark-render refuses, see README)
#   testdata/driver-errors/<case>/ -> oracle-error.txt  (the render must fail; Spark's exception)
#
# Each case directory holds spark.properties and an optional case.json with the keys
# main_class, main_resource, app_args, user, app_id, unique_id, submit_time, driver_uid,
# local_dir_uuid, master, env (NAME -> VALUE) and role (default "driver").
# The renderer runs in the case directory, so relative paths in spark.properties resolve there.
# Like spark-submit, it really uploads local files to spark.kubernetes.file.upload.path.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ORACLE="${SPARK_ORACLE:-$REPO/../shared/spark-oracle}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# Prints the render.sh arguments for a case, NUL-separated.
case_args() {
  python3 - "$1" <<'PY'
import json, os, sys
d = sys.argv[1]
path = os.path.join(d, "case.json")
c = json.load(open(path, encoding="utf-8")) if os.path.exists(path) else {}
flags = {"main_class": "--main-class", "main_resource": "--main-resource", "user": "--user",
         "app_id": "--app-id", "unique_id": "--unique-id", "submit_time": "--submit-time",
         "driver_uid": "--driver-uid", "local_dir_uuid": "--local-dir-uuid", "master": "--master"}
unknown = set(c) - set(flags) - {"role", "env", "app_args"}
if unknown:
    sys.exit(f"{path}: unknown keys {sorted(unknown)}")
args = ["--role", c.get("role", "driver")]
for key, flag in flags.items():
    if key in c:
        args += [flag, str(c[key])]
for name, value in c.get("env", {}).items():
    args += ["--env", f"{name}={value}"]
args += [os.path.abspath(os.path.join(d, "spark.properties")), "--"]
args += [str(a) for a in c.get("app_args", [])]
sys.stdout.write("".join(a + "\0" for a in args))
PY
}

# regen KIND DIR: renders one case and writes its golden file.
regen() {
  local kind="$1" dir="$2" name rc=0
  name="$(basename "$dir")"
  case_args "$dir" > "$TMP/args" || return 1
  local args=()
  mapfile -d '' args < "$TMP/args"
  (cd "$dir" && "$ORACLE/render.sh" "${args[@]}") > "$TMP/out" 2> "$TMP/err" || rc=$?
  if [ "$kind" != driver-errors ]; then
    if [ "$rc" -ne 0 ]; then
      echo "$kind/$name: FAILED (exit $rc)" >&2
      cat "$TMP/err" >&2
      return 1
    fi
    mv "$TMP/out" "$dir/oracle.yaml" || return 1
    echo "$kind/$name: $(grep -c '^---$' "$dir/oracle.yaml") objects"
  else
    # Spark's exception (and causes) are the last stderr lines, after any log output.
    if [ "$rc" -eq 0 ] || ! grep -q '^spark-oracle: error: ' "$TMP/err"; then
      echo "driver-errors/$name: expected a Spark error, got exit $rc" >&2
      cat "$TMP/err" >&2
      return 1
    fi
    sed -n '/^spark-oracle: error: /,$p' "$TMP/err" | sed 's/^spark-oracle: error: //' \
      > "$dir/oracle-error.txt"
    echo "driver-errors/$name: $(head -n 1 "$dir/oracle-error.txt")"
  fi
}

cd "$REPO"
status=0
if [ $# -eq 0 ]; then
  for dir in testdata/driver/*/ testdata/deviations/*/ testdata/driver-errors/*/; do
    [ -f "$dir/spark.properties" ] || continue
    kind="${dir#testdata/}"
    regen "${kind%%/*}" "${dir%/}" || status=1
  done
else
  for name in "$@"; do
    if [ -f "testdata/driver/$name/spark.properties" ]; then
      regen driver "testdata/driver/$name" || status=1
    elif [ -f "testdata/deviations/$name/spark.properties" ]; then
      regen deviations "testdata/deviations/$name" || status=1
    elif [ -f "testdata/driver-errors/$name/spark.properties" ]; then
      regen driver-errors "testdata/driver-errors/$name" || status=1
    else
      echo "$name: no such case" >&2
      status=1
    fi
  done
fi
exit "$status"
