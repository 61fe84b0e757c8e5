#!/usr/bin/env bash
# Regenerate the goldens of testdata/yaml-scalars/ (how Spark 3.5.3 reads YAML scalars in pod
# templates) with the reference renderer, then rebuild the generated tables of
# testdata/yaml-scalars/TABLE.md from them.
#
#   scripts/regen-yaml-scalars.sh [-j N] [CASE...]   render (default: every case), rebuild the table
#   scripts/regen-yaml-scalars.sh --table-only       rebuild the table from the goldens on disk
#   scripts/regen-yaml-scalars.sh --check [-j N]     render into a temporary directory and report
#                                                    goldens (and table) that would change; writes nothing
#
# Each case directory holds spark.properties and its pod template(s) (driver-template.yaml and/or
# executor-template.yaml); they are written by testdata/yaml-scalars/gen-cases.py, which also writes
# rows.json (which case shows which scalar form in which field, and where). Each case is rendered
# with `render.sh --role all spark.properties` run in the case directory, and gets
#   oracle.yaml       when the render succeeds (stdout, from the first "# role:" line), or
#   oracle-error.txt  when Spark refuses it (the stderr lines from "spark-oracle: error: " on,
#                     that prefix removed);
# the other file is removed. A case whose outcome differs from the one rows.json expects is
# reported and makes the script exit 1 (the goldens are still written).
#
# Needs: bash, python3 with PyYAML (for the table), and the reference renderer
# ($SPARK_ORACLE, default ../shared/spark-oracle next to the repository; it needs Java 17 and sets
# itself up on first use). -j defaults to the number of CPUs.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ORACLE="${SPARK_ORACLE:-$REPO/../shared/spark-oracle}"
GROUP="$REPO/testdata/yaml-scalars"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

jobs_max="$(nproc 2>/dev/null || echo 2)"
mode=render
names=()
while [ $# -gt 0 ]; do
  case "$1" in
    -j) jobs_max="$2"; shift 2 ;;
    -j*) jobs_max="${1#-j}"; shift ;;
    --table-only) mode=table; shift ;;
    --check) mode=check; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) names+=("${1%/}"); shift ;;
  esac
done

# render_case NAME OUTDIR: renders testdata/yaml-scalars/NAME, writes the golden into OUTDIR
# (the case directory itself, or a scratch copy for --check) and prints one status line.
render_case() {
  local name="$1" out="$2" rc=0
  local dir="$GROUP/$name" work="$TMP/work/$name"
  mkdir -p "$work" "$out"
  (cd "$dir" && "$ORACLE/render.sh" --role all spark.properties) > "$work/out" 2> "$work/err" || rc=$?
  if [ "$rc" -eq 0 ]; then
    awk 'keep || /^# role: /{keep = 1; print}' "$work/out" > "$out/oracle.yaml"
    rm -f "$out/oracle-error.txt"
    echo "$name: ok, $(grep -c '^---$' "$out/oracle.yaml") objects"
  elif grep -q '^spark-oracle: error: ' "$work/err"; then
    sed -n '/^spark-oracle: error: /,$p' "$work/err" | sed 's/^spark-oracle: error: //' \
      > "$out/oracle-error.txt"
    rm -f "$out/oracle.yaml"
    echo "$name: refused: $(sed -n 2p "$out/oracle-error.txt" | sed 's/^  caused by: //' | cut -c1-110)"
  else
    echo "$name: FAILED (exit $rc, no Spark error)"
    sed 's/^/  /' "$work/err"
    return 1
  fi
}

build_table() {
  # build_table ROOT: goldens are read from ROOT/<case>/; rows.json and TABLE.md from the group
  # directory; the table is written to $TABLE_OUT (default TABLE.md).
  python3 - "$GROUP" "$1" <<'PY'
import json, os, re, sys
import yaml

group, root = sys.argv[1], sys.argv[2]
m = json.load(open(os.path.join(group, "rows.json"), encoding="utf-8"))
forms = {f["id"]: f for f in m["forms"]}
targets = {t["id"]: t for t in m["targets"]}
docs_cache = {}

def load(case):
    if case in docs_cache:
        return docs_cache[case]
    d = os.path.join(root, case)
    res = None
    if os.path.exists(os.path.join(d, "oracle.yaml")):
        text = open(os.path.join(d, "oracle.yaml"), encoding="utf-8").read()
        roles = {}
        for part in re.split(r"^# role: ", text, flags=re.M)[1:]:
            role, _, body = part.partition("\n")
            roles[role.strip()] = [n for n in yaml.compose_all(body) if n is not None]
        res = ("ok", roles)
    elif os.path.exists(os.path.join(d, "oracle-error.txt")):
        res = ("refused", open(os.path.join(d, "oracle-error.txt"), encoding="utf-8").read())
    docs_cache[case] = res
    return res

def plain(node):
    """Node -> Python value with the JSON type fabric8 wrote (quoted = string)."""
    if isinstance(node, yaml.ScalarNode):
        if node.style in ('"', "'", "|", ">"):
            return node.value
        t = node.value
        if t == "null":
            return None
        if t in ("true", "false"):
            return t == "true"
        if re.fullmatch(r"-?[0-9]+", t):
            return int(t)
        if t in (".nan", ".NaN", ".inf", "-.inf", ".Inf", "-.Inf"):
            return Raw(t)
        return Raw(t)      # other numbers: keep fabric8's spelling
    if isinstance(node, yaml.MappingNode):
        return {k.value: plain(v) for k, v in node.value}
    return [plain(v) for v in node.value]

class Raw(str):
    pass

def jtype(v):
    if v is None: return "null"
    if isinstance(v, bool): return "boolean"
    if isinstance(v, (int, Raw)): return "number"
    if isinstance(v, str): return "string"
    if isinstance(v, dict): return "object"
    return "array"

def jtext(v):
    if isinstance(v, Raw): return str(v)
    if v is None: return "null"
    if isinstance(v, bool): return "true" if v else "false"
    if isinstance(v, int): return str(v)
    if isinstance(v, str): return json.dumps(v, ensure_ascii=False)
    if isinstance(v, dict): return "{" + ", ".join(json.dumps(k, ensure_ascii=False) + ": " + jtext(x) for k, x in v.items()) + "}"
    return "[" + ", ".join(jtext(x) for x in v) + "]"

def walk(node, path):
    for step in path:
        if node is None:
            return None
        if isinstance(step, dict):
            ((k, want),) = step.items()
            hit = None
            for it in node.value:
                if isinstance(it, yaml.MappingNode) and any(a.value == k and isinstance(b, yaml.ScalarNode) and b.value == want for a, b in it.value):
                    hit = it
                    break
            node = hit
        elif isinstance(step, int):
            node = node.value[step] if isinstance(node, yaml.SequenceNode) and step < len(node.value) else None
        else:
            node = next((v for k, v in node.value if k.value == step), None) if isinstance(node, yaml.MappingNode) else None
    return node

def code(s):
    s = s.replace("|", "\\|")
    if "`" in s:
        return "`` " + s + " ``"
    return "`" + s + "`"

def refusal(text):
    """Spark's wrapper, then the first cause: its whole message (newlines shown as \\n) without
    Jackson's location line ' at [Source: ...] (through reference chain: ...)' or an inline
    ' (through reference chain: ...)' suffix."""
    lines = text.rstrip("\n").split("\n")
    top = lines[0]
    cause = []
    for l in lines[1:]:
        if l.startswith("  caused by: "):
            if cause:
                break
            cause.append(l[len("  caused by: "):])
        elif cause:
            cause.append(l)
    cause = [l for l in cause if not l.startswith(" at [Source: ")]
    msg = "\\n".join(cause).rstrip("\\n") if cause else top
    msg = re.sub(r" \(through reference chain: [^\n]*\)$", "", msg)
    out = "refused: " + code(msg)
    if top != "org.apache.spark.SparkException: Could not load pod from template file.":
        out = "refused: " + code(top) + " ← " + code(msg)
    return out

def result(r):
    got = load(r["case"])
    if got is None:
        return "(not rendered)", None
    if got[0] == "refused":
        if "path" in r:
            return "UNEXPECTED refusal: " + refusal(got[1]), None
        return refusal(got[1]), None
    if "path" not in r:
        return "UNEXPECTED: rendered", None
    pod = got[1][r["role"]][0]
    node = walk(pod, r["path"])
    if node is None:
        return "absent", None
    v = plain(node)
    show = r.get("show", {})
    if "limit" in show and isinstance(v, list) and len(v) > show["limit"]:
        n = show["limit"]
        shown = "[" + ", ".join([jtext(x) for x in v[:n]] + ["…"]) + "]"
        return code(shown) + " array (%d items, the first %d shown)" % (len(v), n), v
    if "omit_prefix" in show and isinstance(v, dict):
        kept = {k: x for k, x in v.items() if not k.startswith(show["omit_prefix"])}
        return code(jtext(kept)) + " object (plus Spark's %s* keys)" % show["omit_prefix"], v
    return code(jtext(v)) + " " + jtype(v), v

bad = []
def cell(r):
    text, _ = result(r)
    if text.startswith("UNEXPECTED") or text.startswith("(not"):
        bad.append("%s/%s in %s: %s" % (r.get("target", r.get("label")), r.get("form", ""), r["case"], text))
    return text

out = []
w = out.append
rows = m["rows"]
by_type = {}
for ttype in ("untyped", "strmap", "string", "strlist", "i32", "i64", "bool", "quantity", "intorstring"):
    for t in m["targets"]:
        if t["type"] == ttype:
            by_type.setdefault(ttype, []).append(t)
assert sum(len(v) for v in by_type.values()) == len(m["targets"])
w("Rows: %d (form, field) results from %d cases. `absent`: the field is not set in the object." % (len(rows), len(m["cases"])))
w("")
for ttype, ts in by_type.items():
    w("### " + ts[0]["type_title"])
    w("")
    for t in ts:
        w("* %s: `%s`%s" % (t["title"], t["field"], "" if t["primary"] else
          " (second field of this type: accepted forms as far as the cases hold them, refusals one per kind)"))
    w("")
    trows = [r for r in rows if r.get("target") in {t["id"] for t in ts} and r["role"] == "driver"]
    order = [f for f in m["forms"] if any(r["form"] == f["id"] for r in trows)]
    w("| form | " + " | ".join(t["title"] for t in ts) + " | cases |")
    w("|---|" + "---|" * len(ts) + "---|")
    for f in order:
        cells, cases = [], []
        for t in ts:
            rs = [r for r in trows if r["form"] == f["id"] and r["target"] == t["id"]]
            if not rs:
                cells.append("·")
                continue
            cells.append(cell(rs[0]))
            cases += [rs[0]["case"]]
        w("| " + code(f["yaml"]) + " | " + " | ".join(cells) + " | " + ", ".join(dict.fromkeys(cases)) + " |")
    w("")
ex = [r for r in rows if r["role"] == "executor"]
if ex:
    w("### Executor template")
    w("")
    w("| form | field | result | case |")
    w("|---|---|---|---|")
    for r in ex:
        w("| %s | %s | %s | %s |" % (code(forms[r["form"]]["yaml"]), targets[r["target"]]["title"], cell(r), r["case"]))
    w("")
st = [r for r in rows if r.get("section") == "structure"]
if st:
    w("### Structure: merge keys, anchors, tags, duplicates, apiVersion/kind, wrong shapes")
    w("")
    w("| template | result | case |")
    w("|---|---|---|")
    for r in st:
        w("| %s | %s | %s |" % (r["label"].replace("|", "\\|"), cell(r), r["case"]))
    w("")
table = "\n".join(out)
path = os.path.join(group, "TABLE.md")
begin, end = "<!-- BEGIN GENERATED (scripts/regen-yaml-scalars.sh) -->", "<!-- END GENERATED -->"
old = open(path, encoding="utf-8").read() if os.path.exists(path) else "# YAML scalars in pod templates\n\n" + begin + "\n" + end + "\n"
if begin not in old or end not in old:
    sys.exit(path + ": generated-section markers missing")
head, rest = old.split(begin, 1)
_, tail = rest.split(end, 1)
new = head + begin + "\n" + table + "\n" + end + tail
target = os.environ.get("TABLE_OUT", path)
with open(target, "w", encoding="utf-8") as fh:
    fh.write(new)
for b in bad:
    print("table: " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
}

if [ "$mode" = table ]; then
  build_table "$GROUP"
  exit $?
fi

if [ ${#names[@]} -eq 0 ]; then
  for d in "$GROUP"/*/; do
    [ -f "$d/spark.properties" ] && names+=("$(basename "$d")")
  done
fi
for name in "${names[@]}"; do
  [ -f "$GROUP/$name/spark.properties" ] || { echo "$name: no such case" >&2; exit 2; }
done

start=$SECONDS
mkdir -p "$TMP/log" "$TMP/out"
for name in "${names[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n || true; done
  if [ "$mode" = check ]; then outdir="$TMP/out/$name"; else outdir="$GROUP/$name"; fi
  ( render_case "$name" "$outdir" > "$TMP/log/$name" 2>&1 || touch "$TMP/log/$name.failed" ) &
done
wait

status=0
checked="$TMP/expect.json"
python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["cases"]))' \
  "$GROUP/rows.json" > "$checked"
for name in "${names[@]}"; do
  cat "$TMP/log/$name"
  [ -e "$TMP/log/$name.failed" ] && status=1
  if [ "$mode" = check ]; then src="$TMP/out/$name"; else src="$GROUP/$name"; fi
  got=""
  [ -f "$src/oracle.yaml" ] && got=ok
  [ -f "$src/oracle-error.txt" ] && got=refused
  want="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], ""))' "$checked" "$name")"
  if [ -n "$want" ] && [ "$got" != "$want" ]; then
    echo "$name: expected $want, got ${got:-nothing}" >&2
    status=1
  fi
  if [ "$mode" = check ]; then
    for f in oracle.yaml oracle-error.txt; do
      if [ -f "$src/$f" ] || [ -f "$GROUP/$name/$f" ]; then
        if ! diff -u "$GROUP/$name/$f" "$src/$f" > "$TMP/diff" 2>&1; then
          echo "$name/$f would change:" >&2
          head -n 20 "$TMP/diff" >&2
          status=1
        fi
      fi
    done
  fi
done
echo "rendered ${#names[@]} cases in $((SECONDS - start)) s (-j $jobs_max)"

if [ "$mode" = check ]; then
  # The table from the fresh goldens (other cases from disk) must equal TABLE.md.
  for d in "$GROUP"/*/; do
    n="$(basename "$d")"
    [ -d "$TMP/out/$n" ] && continue
    mkdir -p "$TMP/out/$n"
    cp "$d"/oracle.yaml "$d"/oracle-error.txt "$TMP/out/$n/" 2>/dev/null || true
  done
  TABLE_OUT="$TMP/out/TABLE.new" build_table "$TMP/out" || status=1
  if ! diff -u "$GROUP/TABLE.md" "$TMP/out/TABLE.new" > "$TMP/diff"; then
    echo "TABLE.md would change:" >&2
    head -n 40 "$TMP/diff" >&2
    status=1
  fi
else
  build_table "$GROUP" || status=1
fi
exit "$status"
