#!/usr/bin/env bash
# Regenerate the spark-submit parse goldens with the real spark-submit of Spark 3.5.3.
#
#   scripts/regen-submit-goldens.sh [CASE...]      (default: every case; CASE is a directory name
#                                                   under testdata/spark-submit/)
#
# For every testdata/spark-submit/<case>/command.json
#     {"source": "...", "argv": ["--master", "...", ...], "env": {"NAME": "value"}}
# (and "deviation": where spark-render differs on purpose, the README's reason; the test reads it)
# it runs the real `spark-submit --verbose <argv...>` and writes what spark-submit parsed to
# testdata/spark-submit/<case>/spark-submit.json (and `spark-submit --help` to
# testdata/spark-submit/spark-submit-help.txt, whose options the test checks spark-render takes):
#     status            0 when spark-submit got as far as printing "Classpath elements:" (the
#                       parse succeeded; the API-server call that follows is never made, see
#                       below), otherwise spark-submit's exit code
#     child_main_class  the class printed after "Main class:" (KubernetesClientApplication in
#                       Kubernetes cluster mode)
#     main_class        the value of the --main-class child argument (in client mode, where
#                       spark-submit runs the user's class itself, that class)
#     primary_resource  the value of --primary-java-resource / --primary-py-file / --primary-r-file
#     resource_kind     "java" | "python" | "r" (which of those three was given)
#     app_args          every --arg value, in order (client mode: the child arguments as they are)
#     proxy_user        the value of --proxy-user, or null
#     conf              the "Spark config:" section, key -> value (redacted values kept as printed)
#     classpath         the "Classpath elements:" section (in Kubernetes cluster mode the jars
#                       that --packages resolved end up here, not in spark.jars)
#     parsed            the "Parsed arguments:" fields, as printed ("null" -> null)
#     properties_used   the "Spark properties used, including those specified through --conf and
#                       those from the properties file" section, key -> value
#     injected_conf_keys  conf keys the harness added itself (always [] with the approach below)
#     error             for a failed run: the "Error: ..." line, or the 'Exception in thread
#                       "main" ...' line, trimmed; every other field is then null
#
# Needs: the Spark 3.5.3 cache made by ../shared/spark-oracle/setup.sh (run it once;
# $SPARK_ORACLE_HOME or ~/.cache/spark-oracle/3.5.3, with bin/spark-submit and jars/), Java 17
# (java on PATH, or $JAVA_HOME), python3, `jar` (from the JDK), and `unshare` with the right to make
# a network namespace (root, or unprivileged user namespaces).
#
# How each case runs:
#   * `--verbose` is put first; `--master k8s://http://127.0.0.1:1` is put after it only when the
#     case names no master itself (no `--master` / `--master=` in argv, no `spark.master=` in argv,
#     and no line starting with `spark.master` in a file of the case directory).
#   * Scrubbed environment: PATH=/usr/bin:/bin, HOME=<fresh temporary dir>, JAVA_HOME, TZ=UTC,
#     LANG=C.UTF-8, SPARK_CONF_DIR=<fresh empty dir> (so no spark-defaults.conf is read) unless the
#     case's "env" sets it, SPARK_SUBMIT_OPTS=-Duser.home=<that HOME>, plus the case's "env" (a
#     value that names an existing path relative to the case directory is made absolute).
#   * Working directory: the case directory (relative paths in argv resolve against it).
#   * Network: a fresh network namespace with only loopback (`unshare -n`), so a remote master
#     (k8s://https://host:443) or an Ivy repository is never contacted: connections fail at once.
#   * spark-submit is stopped as soon as it has printed the "Classpath elements:" section (the
#     first blank line after it), before it would create anything; every run is also bounded by
#     `timeout 60`.
#
# --packages offline: before the runs, a local Maven repository is built with a minimal pom and a
# tiny jar (`jar cf`) for every coordinate any case names (--packages / --packages= values,
# spark.jars.packages in argv or in a file of the case directory). Every run's temporary HOME
# gets it as ~/.m2/repository. Spark's default Ivy chain resolves `local-m2-cache`
# (${user.home}/.m2/repository) first, and -Duser.home=<HOME> points Java there; `user.home` is
# not a spark.* property, so nothing is added to the conf Spark prints (injected_conf_keys is []).
# The Ivy cache and the retrieved jars go to <HOME>/.ivy2 (Spark's default).
#
# Normalisation (goldens are byte-identical on every machine and run):
#   * spark.app.submitTime is dropped from conf unless the case sets it itself;
#   * the absolute case directory is replaced by the literal $CASE_DIR, the temporary HOME by
#     $HOME (so Ivy's jars read $HOME/.ivy2/jars/...), the Spark installation by $SPARK_HOME and
#     the temporary default SPARK_CONF_DIR by $SPARK_CONF_DIR, in every string. $CASE_DIR stands
#     for an absolute path starting with "/": spark-submit prints a relative --files/--jars/
#     --archives/--py-files entry as "file:///abs/x" (golden: "file://$CASE_DIR/x") and a relative
#     primary resource as "file:/abs/x" (golden: "file:$CASE_DIR/x");
#   * everything else is kept exactly as printed (redacted values, empty values such as
#     spark.submit.pyFiles=""). A "(key,value)" line is split at the first comma.
# Files a case refers to by a relative path (stand-in .py/.R/.jar/.zip/keytab files, properties
# files, conf/spark-defaults.conf) live in its directory; nothing reads their contents except the
# properties files.
# Two cases run at a time; each takes 5-10 s (two JVM starts), so the full regeneration of the
# ~80 cases takes about 5-6 minutes on a 2-core machine.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CASES_DIR="$REPO/testdata/spark-submit"
SPARK_DIST="${SPARK_ORACLE_HOME:-$HOME/.cache/spark-oracle/3.5.3}"
SUBMIT="$SPARK_DIST/bin/spark-submit"

die() { echo "regen-submit-goldens: $*" >&2; exit 1; }

[[ -x "$SUBMIT" && -d "$SPARK_DIST/jars" ]] ||
  die "no Spark 3.5.3 at $SPARK_DIST (run ../shared/spark-oracle/setup.sh once)"
ls "$SPARK_DIST/jars"/spark-core_2.12-3.5.3.jar >/dev/null 2>&1 ||
  die "$SPARK_DIST is not Spark 3.5.3"
if [[ -z "${JAVA_HOME:-}" ]]; then
  JAVA_BIN="$(command -v java)" || die "java not found (Java 17 is needed)"
  JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$JAVA_BIN")")")"
fi
"$JAVA_HOME/bin/java" -version 2>&1 | grep -q '"17\.' || die "Java 17 is needed ($JAVA_HOME)"
JAR_TOOL="$JAVA_HOME/bin/jar"
[[ -x "$JAR_TOOL" ]] || JAR_TOOL="$(command -v jar)" || die "the JDK's jar tool is needed"
UNSHARE=(unshare -n)
if ! unshare -n true 2>/dev/null; then
  unshare -rn true 2>/dev/null || die "unshare cannot make a network namespace here"
  UNSHARE=(unshare -rn)
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# The cases to run: the arguments, or every directory with a command.json.
CASES=()
if (($#)); then
  for c in "$@"; do
    c="${c%/}"; c="${c##*/}"
    [[ -f "$CASES_DIR/$c/command.json" ]] || die "no case $c"
    CASES+=("$c")
  done
else
  for d in "$CASES_DIR"/*/; do
    [[ -f "$d/command.json" ]] && CASES+=("$(basename "$d")")
  done
fi
((${#CASES[@]})) || die "no cases under $CASES_DIR"

# Local Maven repository for every coordinate the selected cases name.
M2="$TMP/m2/repository"
mkdir -p "$M2" "$TMP/jar-content"
echo "stand-in artifact for offline spark-submit parsing" >"$TMP/jar-content/README.txt"
python3 - "$CASES_DIR" "${CASES[@]}" >"$TMP/coords" <<'PY'
import json, os, re, sys
root, cases = sys.argv[1], sys.argv[2:]
coords = set()
def add(value):
    for c in value.split(","):
        c = c.strip()
        if c:
            coords.add(c)
for case in cases:
    d = os.path.join(root, case)
    argv = json.load(open(os.path.join(d, "command.json"), encoding="utf-8"))["argv"]
    for i, a in enumerate(argv):
        if a == "--packages" and i + 1 < len(argv):
            add(argv[i + 1])
        elif a.startswith("--packages="):
            add(a[len("--packages="):])
        m = re.match(r"(?:--conf=)?spark\.jars\.packages=(.*)", a)
        if m:
            add(m.group(1))
    for dirpath, _, files in os.walk(d):
        for f in files:
            if f in ("command.json", "spark-submit.json"):
                continue
            try:
                text = open(os.path.join(dirpath, f), encoding="utf-8").read()
            except (UnicodeDecodeError, OSError):
                continue
            for m in re.finditer(r"^\s*spark\.jars\.packages\s*[=:\s]\s*(.*)$", text, re.M):
                add(m.group(1))
for c in sorted(coords):
    parts = c.split(":")
    if len(parts) == 3 and all(parts):
        print("\t".join(parts))
PY
while IFS=$'\t' read -r group artifact version; do
  dir="$M2/${group//.//}/$artifact/$version"
  mkdir -p "$dir"
  cat >"$dir/$artifact-$version.pom" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>$group</groupId>
  <artifactId>$artifact</artifactId>
  <version>$version</version>
  <packaging>jar</packaging>
</project>
EOF
  (cd "$TMP/jar-content" && "$JAR_TOOL" cf "$dir/$artifact-$version.jar" README.txt)
done <"$TMP/coords"

export REGEN_TMP="$TMP" REGEN_M2="$M2" REGEN_SUBMIT="$SUBMIT" REGEN_SPARK_DIST="$SPARK_DIST"
# spark-submit's own list of options, which the test checks spark-render accepts.
env -i PATH=/usr/bin:/bin HOME="$TMP" JAVA_HOME="$JAVA_HOME" TZ=UTC LANG=C.UTF-8 \
  "$SUBMIT" --help >"$CASES_DIR/spark-submit-help.txt" 2>&1 || true

export REGEN_JAVA_HOME="$JAVA_HOME" REGEN_CASES_DIR="$CASES_DIR"
export REGEN_UNSHARE="${UNSHARE[*]}"
python3 - "${CASES[@]}" <<'PY'
import concurrent.futures, json, os, re, shutil, signal, subprocess, sys, tempfile, time

TMP = os.environ["REGEN_TMP"]
M2 = os.environ["REGEN_M2"]
SUBMIT = os.environ["REGEN_SUBMIT"]
SPARK_DIST = os.environ["REGEN_SPARK_DIST"]
JAVA_HOME = os.environ["REGEN_JAVA_HOME"]
CASES_DIR = os.environ["REGEN_CASES_DIR"]
UNSHARE = os.environ["REGEN_UNSHARE"].split()
DEFAULT_MASTER = "k8s://http://127.0.0.1:1"
K8S_CLIENT_APP = "org.apache.spark.deploy.k8s.submit.KubernetesClientApplication"
LOG_LINE = re.compile(r"^\d\d/\d\d/\d\d \d\d:\d\d:\d\d (TRACE|DEBUG|INFO|WARN|ERROR|FATAL) ")


def case_files_text(d):
    out = []
    for dirpath, _, files in os.walk(d):
        for f in sorted(files):
            if f in ("command.json", "spark-submit.json"):
                continue
            try:
                out.append(open(os.path.join(dirpath, f), encoding="utf-8").read())
            except (UnicodeDecodeError, OSError):
                pass
    return "\n".join(out)


def names_master(argv, files_text):
    if any(a == "--master" or a.startswith("--master=") for a in argv):
        return True
    if any(re.search(r"(^|=)spark\.master=", a) for a in argv):
        return True
    return re.search(r"^\s*spark\.master\b", files_text, re.M) is not None


def run(case):
    d = os.path.join(CASES_DIR, case)
    spec = json.load(open(os.path.join(d, "command.json"), encoding="utf-8"))
    unknown = set(spec) - {"source", "argv", "env", "deviation"}
    if unknown:
        raise SystemExit(f"{case}: unknown keys in command.json: {sorted(unknown)}")
    argv = [str(a) for a in spec["argv"]]
    files_text = case_files_text(d)
    work = tempfile.mkdtemp(prefix=f"{case}.", dir=TMP)
    home = os.path.join(work, "home")
    conf_dir = os.path.join(work, "conf")
    os.makedirs(os.path.join(home, ".m2"))
    os.makedirs(conf_dir)
    os.symlink(M2, os.path.join(home, ".m2", "repository"))
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": home,
        "JAVA_HOME": JAVA_HOME,
        "TZ": "UTC",
        "LANG": "C.UTF-8",
        "SPARK_CONF_DIR": conf_dir,
        "SPARK_SUBMIT_OPTS": f"-Duser.home={home}",
    }
    for k, v in spec.get("env", {}).items():
        v = str(v)
        if v and not os.path.isabs(v) and os.path.exists(os.path.join(d, v)):
            v = os.path.join(d, v)
        env[k] = v
    full = ["--verbose"] + ([] if names_master(argv, files_text) else ["--master", DEFAULT_MASTER])
    full += argv
    cmd = UNSHARE + ["--", "/bin/sh", "-c",
                     '/usr/sbin/ip link set lo up 2>/dev/null || ip link set lo up 2>/dev/null; exec "$@"',
                     "sh", "timeout", "60", SUBMIT] + full
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=d, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    lines, reached, in_classpath = [], False, False
    for raw in proc.stdout:
        line = raw.decode("utf-8", "replace").rstrip("\n")
        lines.append(line)
        if LOG_LINE.match(line):
            continue
        if line == "Classpath elements:":
            in_classpath = True
        elif in_classpath and line == "":
            reached = True
            break
    if reached:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.stdout.close()
    rc = proc.wait()
    elapsed = time.monotonic() - started
    with open(os.path.join(work, "output.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    if not reached and rc == 124:
        raise SystemExit(f"{case}: spark-submit timed out (output: {work}/output.txt)")
    golden = parse(case, lines, reached, rc, argv, files_text)
    golden = normalise(golden, [(os.path.realpath(d), "$CASE_DIR"), (d, "$CASE_DIR"),
                                (os.path.realpath(home), "$HOME"), (home, "$HOME"),
                                (os.path.realpath(conf_dir), "$SPARK_CONF_DIR"),
                                (conf_dir, "$SPARK_CONF_DIR"),
                                (os.path.realpath(SPARK_DIST), "$SPARK_HOME"),
                                (SPARK_DIST, "$SPARK_HOME")])
    text = json.dumps(golden, indent=2, ensure_ascii=False) + "\n"
    with open(os.path.join(d, "spark-submit.json"), "w", encoding="utf-8") as f:
        f.write(text)
    shutil.rmtree(work, ignore_errors=True)
    return case, golden["status"], elapsed


def parse(case, lines, reached, rc, argv, files_text):
    lines = [l for l in lines if not LOG_LINE.match(l)]
    if not reached:
        error = None
        for l in lines:
            s = l.strip()
            if s.startswith("Error:") or s.startswith('Exception in thread "main"'):
                error = s
                break
        if error is None:
            raise SystemExit(f"{case}: spark-submit exited {rc} without an error line:\n"
                             + "\n".join(lines[-30:]))
        return {"status": rc if rc != 0 else -1, "child_main_class": None, "main_class": None,
                "primary_resource": None, "resource_kind": None, "app_args": None,
                "proxy_user": None, "conf": None, "classpath": None, "parsed": None,
                "properties_used": None, "injected_conf_keys": None, "error": error}

    def index(marker):
        try:
            return lines.index(marker)
        except ValueError:
            raise SystemExit(f"{case}: no {marker!r} in the output")

    # Parsed arguments: "  <name padded to 24> <value>"
    parsed = {}
    i = index("Parsed arguments:") + 1
    while i < len(lines) and lines[i].startswith("  ") and lines[i].strip():
        key, value = lines[i][2:26].strip(), lines[i][26:]
        if not key or " " in key:
            raise SystemExit(f"{case}: odd 'Parsed arguments' line {lines[i]!r}")
        parsed[key] = None if value == "null" else value
        i += 1
    props = {}
    while i < len(lines) and not lines[i].startswith("Spark properties used"):
        i += 1
    i += 2  # " --conf and those from the properties file X:"
    while i < len(lines) and lines[i].startswith("  ("):
        body = lines[i][3:]
        if not body.endswith(")"):
            raise SystemExit(f"{case}: odd property line {lines[i]!r}")
        k, _, v = body[:-1].partition(",")
        props[k] = v
        i += 1

    i = index("Main class:")
    child_main = lines[i + 1]
    a, s = index("Arguments:"), index("Spark config:")
    child = lines[a + 1:s]
    main_class = primary = kind = proxy = None
    app_args = []
    kinds = {"--primary-java-resource": "java", "--primary-py-file": "python",
             "--primary-r-file": "r"}
    j = 0
    if child_main != K8S_CLIENT_APP:
        # client mode: spark-submit runs the user's class itself with the app args as they are
        main_class, app_args, j = child_main, list(child), len(child)
    while j < len(child):
        flag = child[j]
        if j + 1 >= len(child):
            raise SystemExit(f"{case}: child argument {flag!r} without a value")
        value = child[j + 1]
        if flag in kinds:
            primary, kind = value, kinds[flag]
        elif flag == "--main-class":
            main_class = value
        elif flag == "--arg":
            app_args.append(value)
        elif flag == "--proxy-user":
            proxy = value
        else:
            raise SystemExit(f"{case}: unexpected child argument {flag!r}")
        j += 2

    c = index("Classpath elements:")
    entries = []
    for l in lines[s + 1:c]:
        if l.startswith("(") or not entries:
            entries.append(l)
        else:  # a value with a newline in it
            entries[-1] += "\n" + l
    conf = {}
    for e in entries:
        if not (e.startswith("(") and e.endswith(")") and "," in e):
            raise SystemExit(f"{case}: odd Spark config entry {e!r}")
        k, _, v = e[1:-1].partition(",")
        conf[k] = v
    classpath = []
    for l in lines[c + 1:]:
        if l == "":
            break
        classpath.append(l)
    if "spark.app.submitTime" in conf and not (
            any("spark.app.submitTime" in x for x in argv) or "spark.app.submitTime" in files_text):
        del conf["spark.app.submitTime"]
    return {"status": 0, "child_main_class": child_main, "main_class": main_class,
            "primary_resource": primary, "resource_kind": kind, "app_args": app_args,
            "proxy_user": proxy, "conf": conf, "classpath": classpath, "parsed": parsed,
            "properties_used": props, "injected_conf_keys": [], "error": None}


def normalise(value, subs):
    subs = sorted({(a, b) for a, b in subs if a}, key=lambda p: -len(p[0]))
    def fix(v):
        if isinstance(v, str):
            for a, b in subs:
                v = v.replace(a, b)
            return v
        if isinstance(v, list):
            return [fix(x) for x in v]
        if isinstance(v, dict):
            return {fix(k): fix(x) for k, x in v.items()}
        return v
    return fix(value)


cases = sys.argv[1:]
started = time.monotonic()
failed = False
with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
    futures = {pool.submit(run, c): c for c in cases}
    for fut in concurrent.futures.as_completed(futures):
        try:
            case, status, elapsed = fut.result()
            print(f"{case}: status {status} ({elapsed:.1f} s)")
        except SystemExit as e:
            failed = True
            print(f"FAILED {e}", file=sys.stderr)
print(f"{len(cases)} case(s) in {time.monotonic() - started:.0f} s")
sys.exit(1 if failed else 0)
PY
