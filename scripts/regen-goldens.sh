#!/usr/bin/env bash
# Regenerate the golden files with the reference renderer (real Spark builders).
#
#   scripts/regen-goldens.sh [--spark-version V] [CASE...]      (default: every case, 3.5.3)
#
# With 3.5.3 (the default) the files are the ones below. With another release V they are
# oracle-V.yaml or oracle-error-V.txt beside them, whichever V's render gives (a case that
# renders in 3.5.3 may be refused by another release, and the other way round).
#
#   testdata/driver/<case>/          -> oracle.yaml       (the render must succeed)
#   testdata/deviations/<case>/      -> oracle.yaml       (Spark renders; spark-render refuses, see README)
#   testdata/driver-errors/<case>/   -> oracle-error.txt  (the render must fail; Spark's exception)
#   testdata/executor/<case>/        -> oracle.yaml       (driver objects, then executor N's; must succeed)
#   testdata/executor-errors/<case>/ -> oracle-error.txt  (the driver render must succeed and the
#                                                          full render fail; Spark's exception)
#   testdata/templates/<case>/       -> oracle.yaml       (pod templates; driver and executor objects)
#   testdata/volumes/<case>/         -> oracle.yaml       (volumes, PVCs, local dirs; driver and executor)
#   testdata/security/<case>/        -> oracle.yaml       (secrets, Hadoop/Kerberos, credentials, conf dir)
#   testdata/feature-errors/<case>/  -> oracle-error.txt  (the full render must fail, on the driver
#                                                          or the executor side; Spark's exception)
#   testdata/real-world/<case>/      -> oracle.yaml       (inputs written by others, see each SOURCE;
#                                                          driver and executor objects)
#
# Each case directory holds spark.properties and an optional case.json with the keys
# main_class, main_resource, app_args, user, app_id, unique_id, submit_time, driver_uid,
# local_dir_uuid, master, executor_id, driver_pod_ip, env (NAME -> VALUE), conf_dir and
# hadoop_conf_dir (the submitter's SPARK_CONF_DIR / HADOOP_CONF_DIR, paths relative to the case
# directory) and role (default "driver" for driver, deviations and driver-errors; "all" for
# executor, executor-errors, templates, volumes, security, feature-errors and real-world).
# A bare CASE name is looked up in the groups in that order; GROUP/CASE names one directly.
# The renderer runs in the case directory, so relative paths in spark.properties resolve there.
# Like spark-submit, it really uploads local files to spark.kubernetes.file.upload.path.
set -euo pipefail
VERSION=3.5.3
if [ "${1:-}" = --spark-version ]; then
  VERSION="${2:?--spark-version needs a release}"
  shift 2
fi
SUFFIX=""
[ "$VERSION" = 3.5.3 ] || SUFFIX="-$VERSION"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ORACLE="${SPARK_ORACLE:-$REPO/../shared/spark-oracle}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# Prints the render.sh arguments for a case, NUL-separated.
# case_args DIR DEFAULT_ROLE
case_args() {
  python3 - "$1" "$2" <<'PY'
import json, os, sys
d, default_role = sys.argv[1], sys.argv[2]
path = os.path.join(d, "case.json")
c = json.load(open(path, encoding="utf-8")) if os.path.exists(path) else {}
flags = {"main_class": "--main-class", "main_resource": "--main-resource", "user": "--user",
         "app_id": "--app-id", "unique_id": "--unique-id", "submit_time": "--submit-time",
         "driver_uid": "--driver-uid", "local_dir_uuid": "--local-dir-uuid", "master": "--master",
         "executor_id": "--executor-id", "driver_pod_ip": "--driver-pod-ip",
         "conf_dir": "--conf-dir", "hadoop_conf_dir": "--hadoop-conf-dir"}
unknown = set(c) - set(flags) - {"role", "env", "app_args"}
if unknown:
    sys.exit(f"{path}: unknown keys {sorted(unknown)}")
args = ["--role", c.get("role", default_role)]
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

# Spark shuffles the local dirs of every pod (Utils.randomize in LocalDirsFeatureStep), so with more
# than one dir a render picks one of several orders at random. To keep golden files stable, a
# render is accepted only when every SPARK_LOCAL_DIRS env value lists the configured dirs (case.json
# env SPARK_LOCAL_DIRS, else spark.local.dir) in their configured order; otherwise it is repeated.
# Dirs taken from existing spark-local-dir-* mounts of the Spark container (pod templates, conf
# volumes) are shuffled too: there the configured order is the container's mount order.
# local_dirs_in_order DIR OUTPUT: exit 0 when OUTPUT is acceptable.
local_dirs_in_order() {
  python3 - "$1" "$2" <<'PY'
import json, os, re, sys
d, out = sys.argv[1], open(sys.argv[2], encoding="utf-8").read()
path = os.path.join(d, "case.json")
c = json.load(open(path, encoding="utf-8")) if os.path.exists(path) else {}
ref = c.get("env", {}).get("SPARK_LOCAL_DIRS")
if ref is None:
    # spark.local.dir as the driver ConfigMap's spark.properties holds it (Properties escaping)
    # (fabric8 6.4, Spark 3.4, writes it as one double-quoted string: a line ends at "\n").
    m = re.search(r"^ +spark\.local\.dir=(.*?)(?:\\n|$)", out, re.M)
    ref = re.sub(r"\\(.)", r"\1", m.group(1)) if m else None
if ref is not None and "," in ref:
    dirs = ref.split(",")
    for value in re.findall(r'- name: "SPARK_LOCAL_DIRS"\n +value: "([^"]*)"', out):
        got = value.split(",")
        if sorted(got) == sorted(dirs) and got != dirs:
            sys.exit(1)
# Containers are the "  - " items of a pod spec (fabric8 YAML layout); their mounts the "    - "
# items after "    volumeMounts:".
chunks, cur = [], None
for line in out.split("\n"):
    if line.startswith("  - "):
        cur = [line]
        chunks.append(cur)
    elif cur is not None and line.startswith("   "):
        cur.append(line)
    else:
        cur = None
for chunk in chunks:
    text = "\n".join(chunk)
    m = re.search(r'- name: "SPARK_LOCAL_DIRS"\n +value: "([^"]*)"', text)
    if not m or "," not in m.group(1):
        continue
    mounts, item, inside = [], None, False
    for line in chunk[1:]:
        if line == "    volumeMounts:":
            inside = True
        elif inside and line.startswith("    - "):
            item = {}
            mounts.append(item)
            line = "      " + line[6:]
        elif inside and not line.startswith("      "):
            inside = False
        if inside and item is not None:
            km = re.match(r'^      (mountPath|name): "([^"]*)"$', line)
            if km:
                item[km.group(1)] = km.group(2)
    paths = [i.get("mountPath") for i in mounts if i.get("name", "").startswith("spark-local-dir-")]
    got = m.group(1).split(",")
    if sorted(got) == sorted(paths) and got != paths:
        sys.exit(1)
PY
}

# The case groups, in lookup order, and the render role each defaults to.
CASE_GROUPS=(driver deviations driver-errors executor executor-errors
  templates volumes security feature-errors real-world)
default_role() {
  case "$1" in
    executor|executor-errors|templates|volumes|security|feature-errors|real-world) echo all ;;
    *) echo driver ;;
  esac
}

# regen KIND DIR: renders one case and writes its golden file.
regen() {
  local kind="$1" dir="$2" name rc=0
  name="$(basename "$dir")"
  case_args "$dir" "$(default_role "$kind")" > "$TMP/args" || return 1
  local args=()
  mapfile -d '' args < "$TMP/args"
  if [ "$kind" = executor-errors ]; then
    # The refusal must come from the executor side: the driver objects alone render.
    local dargs=() i
    for ((i = 0; i < ${#args[@]}; i++)); do
      if [ "${args[i]}" = --role ]; then
        dargs+=(--role driver)
        i=$((i + 1))
      else
        dargs+=("${args[i]}")
      fi
    done
    if [ -z "$SUFFIX" ] && ! (cd "$dir" && "$ORACLE/render.sh" "${dargs[@]}") > /dev/null 2> "$TMP/err"; then
      echo "$kind/$name: the driver render fails too (not an executor-side error)" >&2
      cat "$TMP/err" >&2
      return 1
    fi
  fi
  args=(--spark-version "$VERSION" "${args[@]}")
  (cd "$dir" && "$ORACLE/render.sh" "${args[@]}") > "$TMP/out" 2> "$TMP/err" || rc=$?
  if [ -n "$SUFFIX" ]; then
    # Another release: whichever outcome it gives is its golden.
    rm -f "$dir/oracle$SUFFIX.yaml" "$dir/oracle-error$SUFFIX.txt"
    if [ "$rc" -eq 0 ]; then
      local again=1
      while ! local_dirs_in_order "$dir" "$TMP/out" && [ "$again" -lt 200 ]; do
        again=$((again + 1))
        (cd "$dir" && "$ORACLE/render.sh" "${args[@]}") > "$TMP/out" 2> "$TMP/err" || return 1
      done
      awk 'keep || /^# role: /{keep = 1; print}' "$TMP/out" > "$dir/oracle$SUFFIX.yaml"
      echo "$kind/$name ($VERSION): $(grep -c '^---$' "$dir/oracle$SUFFIX.yaml") objects"
    elif grep -q '^spark-oracle: error: ' "$TMP/err"; then
      sed -n '/^spark-oracle: error: /,$p' "$TMP/err" | sed 's/^spark-oracle: error: //' \
        > "$dir/oracle-error$SUFFIX.txt"
      echo "$kind/$name ($VERSION): $(head -n 1 "$dir/oracle-error$SUFFIX.txt")"
    else
      echo "$kind/$name ($VERSION): FAILED (exit $rc)" >&2
      cat "$TMP/err" >&2
      return 1
    fi
    return 0
  fi
  if [ "$kind" != driver-errors ] && [ "$kind" != executor-errors ] \
      && [ "$kind" != feature-errors ]; then
    if [ "$rc" -ne 0 ]; then
      echo "$kind/$name: FAILED (exit $rc)" >&2
      cat "$TMP/err" >&2
      return 1
    fi
    local try=1
    while ! local_dirs_in_order "$dir" "$TMP/out"; do
      if [ "$try" -ge 40 ]; then
        echo "$kind/$name: warning: local dirs still shuffled after $try renders; kept the last" >&2
        break
      fi
      try=$((try + 1))
      (cd "$dir" && "$ORACLE/render.sh" "${args[@]}") > "$TMP/out" 2> "$TMP/err" || {
        echo "$kind/$name: FAILED on render $try" >&2
        cat "$TMP/err" >&2
        return 1
      }
    done
    # Ivy (spark.jars.packages) prints its progress on stdout before the objects: keep only
    # the objects, from the first "# role:" line.
    awk 'keep || /^# role: /{keep = 1; print}' "$TMP/out" > "$dir/oracle.yaml" || return 1
    echo "$kind/$name: $(grep -c '^---$' "$dir/oracle.yaml") objects"
  else
    # Spark's exception (and causes) are the last stderr lines, after any log output.
    if [ "$rc" -eq 0 ] || ! grep -q '^spark-oracle: error: ' "$TMP/err"; then
      echo "$kind/$name: expected a Spark error, got exit $rc" >&2
      cat "$TMP/err" >&2
      return 1
    fi
    sed -n '/^spark-oracle: error: /,$p' "$TMP/err" | sed 's/^spark-oracle: error: //' \
      > "$dir/oracle-error.txt"
    echo "$kind/$name: $(head -n 1 "$dir/oracle-error.txt")"
  fi
}

cd "$REPO"
status=0
if [ $# -eq 0 ]; then
  for group in "${CASE_GROUPS[@]}"; do
    for dir in "testdata/$group"/*/; do
      [ -f "$dir/spark.properties" ] || continue
      regen "$group" "${dir%/}" || status=1
    done
  done
else
  for name in "$@"; do
    found=""
    for group in "${CASE_GROUPS[@]}"; do
      if [ "${name%%/*}" = "$group" ] && [ -f "testdata/$name/spark.properties" ]; then
        found="$group"
        name="${name#*/}"
        break
      elif [ -f "testdata/$group/$name/spark.properties" ]; then
        found="$group"
        break
      fi
    done
    if [ -n "$found" ]; then
      regen "$found" "testdata/$found/$name" || status=1
    else
      echo "$name: no such case" >&2
      status=1
    fi
  done
fi
exit "$status"
