#!/usr/bin/env bash
# Regenerate the Spark part of the SparkApplication goldens with the reference renderer.
#
#   scripts/regen-operator-goldens.sh [EXAMPLE_DIR...]   (default: every testdata/operators/kubeflow/examples/*)
#
# For each example, spark-render prints the spark-submit command line kubeflow/spark-operator
# runs for app.yaml (driver --print-submit -o json, --reproducible) and the pod template files it
# writes; the files are written where the operator writes them (/tmp/spark/<submission id>/),
# the options become a properties file, and the reference renderer renders it with Spark
# $ORACLE_VERSION (the operator image's 4.0.4 is not among its releases; 4.0.5 is the closest) ->
# oracle-$ORACLE_VERSION.yaml beside app.yaml (driver objects, then executor 1's). Only the
# Spark part: the webhook's patches and the operator's own objects are spark-render's (tested
# against the operator's own test cases).
set -euo pipefail
ORACLE_VERSION="${ORACLE_VERSION:-4.0.5}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ORACLE="${SPARK_ORACLE:-$REPO/../shared/spark-oracle}"
BIN="${SPARK_RENDER:-$REPO/target/debug/spark-render}"
[ -x "$BIN" ] || (cd "$REPO" && cargo build -q -p spark-render)
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
if [ "$#" -eq 0 ]; then
  set -- "$REPO"/testdata/operators/kubeflow/examples/*/
fi
for dir in "$@"; do
  dir="${dir%/}"
  [ -f "$dir/app.yaml" ] || continue
  if ! "$BIN" driver -f "$dir/app.yaml" --reproducible --print-submit -o json > "$TMP/submit.json"; then
    echo "$(basename "$dir"): spark-render refuses it (no golden)" >&2
    continue
  fi
  python3 - "$TMP/submit.json" "$TMP" <<'PY'
import json, os, sys
subs = json.load(open(sys.argv[1]))
out = sys.argv[2]
if len(subs) != 1:
    sys.exit("expected one SparkApplication per example")
s = subs[0]
for path, text in s["files"].items():
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, "w", encoding="utf-8").write(text)
conf_of = {"--name": "spark.app.name", "--jars": "spark.jars", "--packages": "spark.jars.packages",
           "--exclude-packages": "spark.jars.excludes", "--repositories": "spark.jars.repositories",
           "--py-files": "spark.submit.pyFiles", "--files": "spark.files", "--archives": "spark.archives"}
def esc(text, key):
    out = []
    for i, c in enumerate(text):
        if c == "\\": out.append("\\\\")
        elif c in "=: " and key: out.append("\\" + c)
        elif c == " " and i == 0: out.append("\\ ")
        elif c == "\n": out.append("\\n")
        else: out.append(c)
    return "".join(out)
props, flags, rest = [], [], []
args = s["args"]; i = 0
while i < len(args):
    a = args[i]
    if not a.startswith("--"):
        rest = args[i:]; break
    v = args[i + 1]; i += 2
    if a == "--conf":
        k, _, val = v.partition("=")
        props.append((k, val))
    elif a in conf_of:
        props.append((conf_of[a], v))
    elif a == "--master":
        flags += ["--master", v]
    elif a == "--class":
        flags += ["--main-class", v]
    elif a == "--deploy-mode":
        if v != "cluster": sys.exit("deploy mode " + v)
    else:
        sys.exit("option not handled: " + a)
with open(os.path.join(out, "spark.properties"), "w", encoding="utf-8") as f:
    for k, v in props:
        f.write(esc(k, True) + "=" + esc(v, False) + "\n")
flags += ["--main-resource", rest[0]] if rest else []
json.dump({"flags": flags + ["--user", "spark"], "app_args": rest[1:]}, open(os.path.join(out, "flags.json"), "w"))
PY
  mapfile -t FLAGS < <(python3 -c 'import json,sys; [print(x) for x in json.load(open(sys.argv[1]))["flags"]]' "$TMP/flags.json")
  mapfile -t APP_ARGS < <(python3 -c 'import json,sys; [print(x) for x in json.load(open(sys.argv[1]))["app_args"]]' "$TMP/flags.json")
  if (cd "$TMP" && "$ORACLE/render.sh" --spark-version "$ORACLE_VERSION" --role all "${FLAGS[@]}" \
        spark.properties -- "${APP_ARGS[@]}" > "$TMP/oracle.yaml" 2> "$TMP/oracle.err"); then
    mv "$TMP/oracle.yaml" "$dir/oracle-$ORACLE_VERSION.yaml"
    echo "$(basename "$dir"): oracle-$ORACLE_VERSION.yaml"
  else
    echo "$(basename "$dir"): the reference renderer failed:" >&2
    tail -3 "$TMP/oracle.err" >&2
  fi
done
