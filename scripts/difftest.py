#!/usr/bin/env python3
"""Differential test of `spark-render driver` against real Spark 3.5.3 (the spark-oracle).

    scripts/difftest.py [--cases N] [--seed S] [--keep DIR] [--jobs J] [--minimize]
                        [--only I[,I...]] [--replay CASE_DIR...]

Generates N random submissions (case i of seed S is always the same submission), each a
spark.properties plus main resource, main class, app args and the render inputs (ids, submit
time, user, submitter env), in the layout of testdata/ (spark.properties + case.json). Each case
is rendered in its directory by both renderers, the way cli/tests/common/mod.rs runs
spark-render and scripts/regen-goldens.sh runs the oracle, and compared after the same
normalisation as the test suite:

* the date line of spark.properties dropped; the rest of its text compared as is (line order
  and escaping included; a difference is shown entry by entry, or as the first line out of
  place when the entries are the same);
* SPARK_LOCAL_DIRS compared as a set, secret volumes and their mounts as sets within their run;
  everything else (env order included) exactly;
* the oracle's objects get the namespace of its spark-conf ConfigMap (Spark posts Pods and
  Services without one);
* in addition, the spark-local-dir-N mount paths are compared as a multiset: Spark 3.5.3
  shuffles the local dirs at random (see normalize_local_dirs).

A case where both renderers refuse counts as agreement; a case where exactly one refuses is a
mismatch (both messages are printed); a case spark-render refuses as "does not model" is
counted apart (the generator avoids those features). Exit status: 0 when every case agrees,
1 when any case mismatches, 2 on a harness failure (a renderer crashed or was misused).

--keep DIR keeps every case directory (spark.properties, case.json, both outputs, the diff);
a case's spark.properties and case.json can go into testdata/ as they are (then
scripts/regen-goldens.sh writes its golden). --minimize shrinks each distinct
mismatch (by dropping conf entries and resetting inputs while the same difference remains)
and prints the smallest case found. --replay renders existing case directories (e.g. from
testdata/ or a --keep folder) instead of generated ones.

Environment: SPARK_RENDER (the binary; default target/debug/spark-render of this repository),
SPARK_ORACLE (default ../shared/spark-oracle next to the repository).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import random
import re
import shutil
import string
import subprocess
import sys
import tempfile
import threading

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

DEFAULTS = {
    "main_class": "org.apache.spark.examples.SparkPi",
    "main_resource": "local:///opt/spark/examples/jars/spark-examples.jar",
    "user": "spark",
    "app_id": "spark-00000000000000000000000000000000",
    "unique_id": "0123456789abcdef",
    "submit_time": "1700000000000",
    "driver_uid": "00000000-0000-0000-0000-00000000d001",
    "local_dir_uuid": "00000000-0000-0000-0000-000000000000",
}
ORACLE_FLAGS = {
    "main_class": "--main-class",
    "main_resource": "--main-resource",
    "user": "--user",
    "app_id": "--app-id",
    "unique_id": "--unique-id",
    "submit_time": "--submit-time",
    "driver_uid": "--driver-uid",
    "local_dir_uuid": "--local-dir-uuid",
    "master": "--master",
}
# Environment variables the submitter's shell could leak into a render (as the test suite).
SUBMITTER_ENV = [
    "SPARK_USER",
    "HADOOP_USER_NAME",
    "SPARK_LOCAL_DIRS",
    "SPARK_CONF_DIR",
    "SPARK_HOME",
    "HADOOP_CONF_DIR",
    "PYSPARK_PYTHON",
    "PYSPARK_DRIVER_PYTHON",
]
NOT_MODELLED = "does not model"
TIMEOUT = 180

# --------------------------------------------------------------------------------------------
# java.util.Properties text format


def load_properties(text: str) -> dict:
    """Parses properties text as java.util.Properties.load(Reader) does (last value wins)."""
    out = {}
    for line in _logical_lines(text):
        key, value = _split_key_value(line)
        out[_load_convert(key)] = _load_convert(value)
    return out


def _logical_lines(text: str):
    i, n = 0, len(text)
    ws = " \t\f"
    while i < n:
        # Skip white space and blank lines at the start of a line.
        while i < n and (text[i] in ws or text[i] in "\r\n"):
            i += 1
        if i >= n:
            return
        if text[i] in "#!":
            while i < n and text[i] not in "\r\n":
                i += 1
            continue
        buf = []
        backslash = False
        while i < n:
            c = text[i]
            if c in "\r\n":
                if backslash:
                    buf.pop()
                    backslash = False
                    i += 1
                    if c == "\r" and i < n and text[i] == "\n":
                        i += 1
                    while i < n and text[i] in ws:
                        i += 1
                    continue
                break
            buf.append(c)
            backslash = (not backslash) if c == "\\" else False
            i += 1
        if backslash and buf:
            buf.pop()  # a backslash at the end of the input is dropped
        yield "".join(buf)


def _split_key_value(line: str):
    key_len, value_start, has_sep, backslash = 0, len(line), False, False
    while key_len < len(line):
        c = line[key_len]
        if c in "=:" and not backslash:
            value_start, has_sep = key_len + 1, True
            break
        if c in " \t\f" and not backslash:
            value_start = key_len + 1
            break
        backslash = (not backslash) if c == "\\" else False
        key_len += 1
    while value_start < len(line):
        c = line[value_start]
        if c not in " \t\f":
            if not has_sep and c in "=:":
                has_sep = True
            else:
                break
        value_start += 1
    return line[:key_len], line[value_start:]


def _load_convert(s: str) -> str:
    out, i = [], 0
    while i < len(s):
        c = s[i]
        i += 1
        if c != "\\":
            out.append(c)
            continue
        if i >= len(s):
            break
        c = s[i]
        i += 1
        if c == "u":
            digits = s[i:i + 4]
            if len(digits) < 4 or any(d not in string.hexdigits for d in digits):
                raise ValueError("Malformed \\uxxxx encoding.")
            out.append(chr(int(digits, 16)))
            i += 4
        else:
            out.append({"t": "\t", "r": "\r", "n": "\n", "f": "\f"}.get(c, c))
    # Join UTF-16 surrogate pairs written as two \u escapes.
    return "".join(out).encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _escape_tokens(s: str, is_key: bool, rng: random.Random | None):
    """The text of s as escaped tokens (one per character) for a properties file."""
    tokens = []
    for idx, c in enumerate(s):
        if c == "\\":
            t = "\\\\"
        elif c == "\t":
            t = "\\t"
        elif c == "\n":
            t = "\\n"
        elif c == "\r":
            t = "\\r"
        elif c == "\f":
            t = "\\f"
        elif c == " " and (is_key or idx == 0):
            t = "\\ "
        elif c in "=:" and (is_key or idx == 0):
            t = "\\" + c
        elif c in "#!" and (is_key and idx == 0):
            t = "\\" + c
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            t = "\\u%04x" % ord(c)
        elif ord(c) > 0x7E and rng is not None and rng.random() < 0.3:
            units = c.encode("utf-16-be")
            t = "".join("\\u%02x%02x" % (units[k], units[k + 1]) for k in range(0, len(units), 2))
        else:
            t = c
        tokens.append(t)
    return tokens


def write_properties(entries, rng: random.Random | None = None) -> str:
    """A properties file holding entries (list of (key, value)); with rng, in varied syntax
    (separators, comments, continuation lines, \\u escapes), always meaning the same entries."""
    lines = ["# generated by scripts/difftest.py"]
    for key, value in entries:
        ktoks = _escape_tokens(key, True, rng)
        vtoks = _escape_tokens(value, False, rng)
        if rng is None:
            lines.append("".join(ktoks) + "=" + "".join(vtoks))
            continue
        if rng.random() < 0.08:
            lines.append(rng.choice(["", "# a comment", "! a bang comment", "   # indented"]))
        sep = rng.choice(["=", "=", "=", " = ", ":", " ", "\t", "  :  "])
        if not vtoks and sep in (" ", "\t"):
            sep = "="
        if len(vtoks) > 6 and rng.random() < 0.15:
            # A continuation line: split before a token that does not start with white space.
            cut = rng.randrange(1, len(vtoks))
            if not vtoks[cut][0] in " \t\f":
                vtoks = vtoks[:cut] + ["\\\n" + rng.choice(["", "  ", "\t"])] + vtoks[cut:]
        lines.append("".join(ktoks) + sep + "".join(vtoks))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Generation

ALNUM = string.ascii_lowercase + string.digits

ODD_VALUES = [
    "", "a b", "x=y", "k:v", "#hash", "!bang", "back\\slash", "tab\there", "new\nline",
    "ünïcödé", "日本語", "emoji😀", "{{APP_ID}}", "{{EXECUTOR_ID}}", "pre-{{APP_ID}}-{{EXECUTOR_ID}}",
    "true", "yes", "no", "on", "null", "~", "012", "1e3", "0x1F", "1:20", "- dash", "quote\"s",
    "'single'", "a,b,c", "  padded  ", "\u00a0nbsp\u00a0", "$HOME", "%s", "<x>&amp;", "a" * 120,
    "{{app_id}}", "{{APP_ID}}{{APP_ID}}", "=", ":", "\\", "\\u0041", "C:\\dir", "%n",
]


# White space Java's String.trim keeps (it strips only chars <= ' ') and non-ASCII decimal digits
# (Integer.parseInt accepts any Unicode digit).
UNICODE_SPACES = ["\u00a0", "\u2003", "\u3000", "\u2028", "\u0085"]
UNICODE_DIGITS = {"0": "\u0660", "1": "\u0661", "2": "\u0662", "3": "\u0663", "4": "\u0664",
                  "5": "\u0665", "6": "\u0666", "7": "\u0667", "8": "\u0668", "9": "\u0669"}


def unicode_digits(rng, s):
    """The same number in another script's digits (Arabic-Indic, fullwidth or Devanagari)."""
    base = rng.choice([0x0660, 0xFF10, 0x0966, 0x09E6])
    return "".join(chr(base + int(c)) if c.isdigit() else c for c in s)


def odd_spacing(rng, s):
    """s with Unicode white space Java does not trim before or after it."""
    sp = rng.choice(UNICODE_SPACES)
    return rng.choice([s + sp, sp + s])


def rand_token(rng, lo=1, hi=10, alphabet=ALNUM):
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(lo, hi)))


def rand_dns(rng, lo=1, hi=20):
    s = rand_token(rng, lo, hi, ALNUM + "-")
    s = s.strip("-") or "x"
    return s if s[0].isalpha() else "a" + s


def rand_value(rng):
    r = rng.random()
    if r < 0.45:
        return rand_token(rng, 1, 16, ALNUM + "-._")
    if r < 0.8:
        return rng.choice(ODD_VALUES)
    if r < 0.9:
        return rand_token(rng, 1, 30, string.printable.strip() + " ")
    return "".join(rng.choice("aZ0-_. é中😀\u0130\u212a") for _ in range(rng.randint(1, 12)))


def rand_label_key(rng):
    return rng.choice([
        rand_dns(rng, 1, 12),
        rand_dns(rng, 1, 8) + "." + rand_dns(rng, 1, 8),
        "example.com/" + rand_dns(rng, 1, 10),
        "app.kubernetes.io/" + rng.choice(["name", "part-of", "component", "version"]),
        rng.choice(["team", "owner", "env", "tier", "cost-center", "A_b.C"]),
    ])


def rand_app_name(rng):
    kind = rng.randrange(12)
    if kind == 0:
        return rng.choice(["spark-pi", "etl", "nightly-job", "MyApp", "a"])
    if kind == 1:
        return rand_token(rng, 1, 25, string.ascii_letters + string.digits + " _.-!@#$%^&*()+=/|~")
    if kind == 2:
        # Around the 63-character Service name boundary (prefix = name + "-" + unique id).
        return rand_token(rng, 28, 48, ALNUM + "-")
    if kind == 3:
        return rand_token(rng, 60, 260, ALNUM + "-_ .")
    if kind == 4:
        return rng.choice(["123abc", "9", "0-start", "42 is the answer", "7_x"]) + rand_token(rng, 0, 5)
    if kind == 5:
        return rng.choice(["--x", "-", "---lead", "-1x", "_-_y", "x-", "x--", "trail_"]) + rand_token(rng, 0, 3)
    if kind == 6:
        return rng.choice([
            "Über Straße", "İstanbul", "\u212aelvin", "ﬀ-ligature", "Σίσυφος ς", "日本語アプリ",
            "emoji 😀 app", "e\u0301cole", "ǅungla", "ÅNGSTRÖM", "\u0130I\u0131i", "ß-sharp",
        ])
    if kind == 7:
        return ""
    if kind == 8:
        return rng.choice(["!!!", "...", "@@", "{{APP_ID}}", "a{{APP_ID}}b", "% $", "é"])
    if kind == 9:
        return rand_token(rng, 1, 8) + rng.choice(["\u00a0", "\u2003", "\u3000"]) + rand_token(rng, 1, 8)
    if kind == 10:
        return rand_token(rng, 1, 12, string.ascii_uppercase + "_")
    return rand_dns(rng, 1, 30)


def rand_memory(rng, allow_zero=False):
    if rng.random() < 0.04:
        return rng.choice(["1p", "8000p", "9000p", "8796093022208m", "2147483648m", "99999999999999k",
                           "3000000000g", "1pb"])
    units = ["", "b", "k", "kb", "m", "mb", "g", "gb", "t", "K", "M", "G", "MB", "Gb", "GB", "T", "TB", "tb"]
    unit = rng.choice(units)
    mag = {"": (300, 9000), "b": (1 << 20, 1 << 34), "k": (1024, 1 << 23), "kb": (1024, 1 << 23),
           "m": (1, 20000), "mb": (1, 20000), "g": (1, 64), "gb": (1, 64), "t": (1, 2), "tb": (1, 2)}
    lo, hi = mag[unit.lower()]
    n = rng.choice([rng.randint(lo, hi), lo, hi, rng.randint(lo, lo * 4)])
    if allow_zero and rng.random() < 0.1:
        n = 0
    s = str(n) + unit
    if rng.random() < 0.05:
        s = rng.choice(["0", "00"]) + s  # leading zeros
    return s


def rand_factor(rng, allow_zero=False):
    pool = ["0.1", "0.4", "0.25", "1", "1.0", "1.5", "2", "0.001", "0.002", "1e-3", ".5", "5.",
            "0.10", "1.0E-4", "0.3333333333333333", "3.0e0", "0.05", "10", "0.9999", "4.35",
            "1e23", "2e23", "8.41e21", "5e-324", "2.5e22", "0x1p-3", "0x1.8p1", "0.5d", "0.5f",
            "+0.2", "1e-5", "0.07", "12345678.9", "1E1", "Infinity", "NaN", "1e-300", "0.5\u00a0",
            "\u00a00.2", "1e400"]
    if allow_zero:
        pool += ["0", "0.0", "-0.0"]
    return rng.choice(pool)


def rand_quantity(rng):
    return rng.choice(["1", "2", "0.5", "500m", "100m", "1500m", "1.5", ".5", "1.", "+1", "1e3",
                       "1E-2", "2k", "0.1", "1000m", "4", "0.25", "250m", "16", "0", "3.14159",
                       "1Ki", "0.001", "1m", "10e-1"])


def rand_port(rng):
    r = rng.random()
    if r < 0.7:
        return str(rng.choice([rng.randint(1024, 65535), 7078, 7079, 4040, 80, 443, 1, 65535]))
    if r < 0.85:
        return rng.choice(["+7077", "07078", "0", "-1", "65536", "100000", "08080"])
    if r < 0.95:
        return unicode_digits(rng, str(rng.choice([7078, 4040, 8080, 31337])))
    return odd_spacing(rng, str(rng.choice([7078, 7079, 4040])))


def rand_remote_uri(rng, ext):
    return rng.choice([
        f"local:///opt/{rand_dns(rng, 1, 8)}/{rand_dns(rng, 1, 10)}{ext}",
        f"https://repo.example.com/{rand_dns(rng, 1, 8)}/{rand_dns(rng, 1, 10)}{ext}",
        f"http://host:8080/{rand_dns(rng, 1, 10)}{ext}",
        f"local:/opt/{rand_dns(rng, 1, 8)}{ext}",
        f"https://repo.example.com/a%20b/{rand_dns(rng, 1, 6)}{ext}?x=1",
    ])


ODD_URIS = [
    "local:///opt/my app{ext}", "https://h/a b{ext}", "local:///opt/ü{ext}", "local:///opt/x{ext}#alias",
    "local:///opt/a%20b{ext}", "https://h/{{x}}{ext}", "local:///opt/a|b{ext}", "local:opt/rel{ext}",
    "https://h/x{ext}#frag", "local:///opt/" + "\u00e9" + "{ext}", "https://h:99999/x{ext}",
    "https://user@h/x{ext}", "local://host/opt/x{ext}",
]


def rand_list(rng, ext, local_ok):
    items = [rand_remote_uri(rng, ext) if rng.random() < 0.85 else rng.choice(ODD_URIS).format(ext=ext)
             for _ in range(rng.randint(1, 3))]
    if local_ok and rng.random() < 0.5:
        items.append(rng.choice(["LOCALFILE", "./LOCALFILE", "file://ABSLOCALFILE"]))
    if rng.random() < 0.15:
        items.insert(rng.randrange(len(items) + 1), rng.choice(["", " "]))
    sep = rng.choice([",", ",", ",", ",", ",", ",", ",", ",", ", ", " , "])
    return sep.join(items)


class Case:
    """One submission: properties-file entries plus case.json fields."""

    def __init__(self, name, entries, meta, files=()):
        self.name = name
        self.entries = list(entries)  # (key, value), file order
        self.meta = dict(meta)        # case.json fields
        self.files = list(files)      # local files to create in the case dir
        self.syntax_seed = None       # varied file syntax when set

    def copy(self):
        c = Case(self.name, self.entries, self.meta, self.files)
        c.syntax_seed = self.syntax_seed
        c.meta = json.loads(json.dumps(self.meta))
        return c


def generate(seed, index, uploads_dir) -> Case:
    rng = random.Random(f"difftest:{seed}:{index}")
    e = []   # entries
    meta = {}
    files = []

    def maybe(p):
        return rng.random() < p

    def add(k, v):
        e.append((k, v))

    # Application kind and main resource.
    kind = rng.choices(["java", "python", "r"], [6, 3, 1])[0]
    local_files = maybe(0.12)
    upload = "file://" + uploads_dir
    if kind == "java":
        if local_files and maybe(0.5):
            res = rng.choice(["app.jar", "./lib/app.jar", "file://ABSapp.jar"])
        elif maybe(0.1):
            res = rng.choice(ODD_URIS).format(ext=".jar")
        elif maybe(0.05):
            res = rng.choice(["spark-internal", "spark-shell", "pyspark-shell", "sparkr-shell"])
        else:
            res = rng.choice([rand_remote_uri(rng, ".jar"), DEFAULTS["main_resource"],
                              "local:///opt/app/app.jar"])
    elif kind == "python":
        if local_files and maybe(0.5):
            res = rng.choice(["job.py", "./src/job.py", "file://ABSjob.py"])
        elif maybe(0.1):
            res = rng.choice(ODD_URIS).format(ext=".py")
        else:
            res = rng.choice([rand_remote_uri(rng, ".py"), "local:///opt/app/main.py"])
    else:
        res = rng.choice(["local:///opt/app/main.R", "https://h/x.R", "local:///opt/app/a.r"])
    meta["main_resource"] = res
    if maybe(0.4):
        meta["main_class"] = rng.choice([
            "com.example.Main", "MyApp", "a.b.C_D", "org.example.Job$", "x.Y2",
            "com.example.ÜberJob", "com.example.nested.Inner$Class",
        ])
    if maybe(0.4):
        meta["app_args"] = [rand_value(rng) for _ in range(rng.randint(1, 4))]
    if maybe(0.5):
        meta["app_id"] = rng.choice([
            "spark-" + "".join(rng.choice("0123456789abcdef") for _ in range(32)),
            "app-20240101123456-0001", "spark-app", "Spark_App.1",
        ])
    if maybe(0.5):
        # KubernetesUtils.uniqueID: 6 hex digits + the clock's low 40 bits in hex (no leading 0).
        meta["unique_id"] = "%06x%x" % (rng.getrandbits(24), rng.randrange(1, 1 << rng.choice([4, 20, 40])))
    if maybe(0.3):
        meta["submit_time"] = str(rng.choice([0, 1, 951782400000, 1712345678901, 4102444800000,
                                              rng.randint(0, 1 << 41)]))
    if maybe(0.3):
        meta["driver_uid"] = "%08x-0000-4000-8000-%012x" % (rng.getrandbits(32), rng.getrandbits(48))
    if maybe(0.2):
        meta["local_dir_uuid"] = "%08x-1111-4222-8333-%012x" % (rng.getrandbits(32), rng.getrandbits(48))
    if maybe(0.2):
        meta["user"] = rng.choice(["alice", "root", "svc-etl", "ユーザー", "a b"])
    env = {}
    if maybe(0.1):
        env["SPARK_LOCAL_DIRS"] = rng.choice(["/tmp/a", "/a,/b", "/x,,/y", "/data/1", "", ",", " /s "])
    if kind == "python" and maybe(0.2):
        env["PYSPARK_PYTHON"] = rng.choice(["python3", "/usr/bin/python3.11", ""])
    if kind == "python" and maybe(0.15):
        env["PYSPARK_DRIVER_PYTHON"] = rng.choice(["python3", "ipython", ""])
    if env:
        meta["env"] = env

    # Master: --master, spark.master in the file, or neither.
    r = rng.random()
    master = rng.choice(["k8s://https://k8s.example.com:6443", "k8s://k8s.example.com:443",
                         "k8s://http://127.0.0.1:8001", "k8s://https://[::1]:6443",
                         "k8s://https://kubernetes.default.svc"]
                        + (["k8s://HTTPS://k8s.example.com", "k8s://https://h:x", "k8s://https://a b:443",
                            "k8s://https://h/path?q=1", "k8s://h", "k8s://https://h_under:443",
                            "k8s://https://[::1", "k8s://ftp://h"] if maybe(0.15) else []))
    if r < 0.25:
        meta["master"] = master
    elif r < 0.5:
        add("spark.master", master)

    # Image (nearly always), pull policy and secrets.
    r = rng.random()
    img = rng.choice(["apache/spark:3.5.3", "registry.example.com:5000/team/spark@sha256:" + "ab" * 32,
                      "spark", "apache/spark-py:v3.5.3-python3"])
    if r < 0.75:
        add("spark.kubernetes.container.image", img)
    elif r < 0.9:
        add("spark.kubernetes.driver.container.image", img)
    elif r < 0.98:
        add("spark.kubernetes.container.image", img)
        add("spark.kubernetes.driver.container.image", "driver/" + img)
    if maybe(0.2):
        add("spark.kubernetes.executor.container.image", "exec/" + img)
    if maybe(0.3):
        add("spark.kubernetes.container.image.pullPolicy",
            rng.choice(["Always", "Never", "IfNotPresent", "IfNotPresent", "always"] if maybe(0.1)
                       else ["Always", "Never", "IfNotPresent"]))
    if maybe(0.25):
        add("spark.kubernetes.container.image.pullSecrets",
            rng.choice(["regcred", "a,b", " a , ,b ", "", "x,x", "s1, s2,s3,",
                        "a," + odd_spacing(rng, "b"), odd_spacing(rng, "a") + ",b"]))

    # Name, namespace, pod name, service account, scheduler.
    if maybe(0.8):
        add("spark.app.name", rand_app_name(rng))
    if maybe(0.5):
        add("spark.kubernetes.namespace",
            rng.choice([rand_dns(rng, 1, 20), "default", "team-a", "x" * 63, "Mixed_Case", ""]))
    if maybe(0.1):
        add("spark.kubernetes.driver.pod.name", rand_dns(rng, 1, 40))
    if maybe(0.25):
        add("spark.kubernetes.authenticate.driver.serviceAccountName",
            rng.choice(["spark", "spark-sa", rand_dns(rng), ""]))
    if maybe(0.08):
        add("spark.kubernetes.authenticate.serviceAccountName", rand_dns(rng))
    if maybe(0.1):
        add("spark.kubernetes.authenticate.executor.serviceAccountName", rand_dns(rng))
    if maybe(0.15):
        add("spark.kubernetes.scheduler.name", rng.choice(["volcano", "yunikorn", rand_dns(rng), ""]))
    if maybe(0.15):
        add("spark.kubernetes.driver.scheduler.name", rng.choice(["default-scheduler", rand_dns(rng), ""]))
    if maybe(0.1):
        add("spark.kubernetes.executor.scheduler.name", rand_dns(rng))

    # Ports.
    for key, p in [("spark.driver.port", 0.25), ("spark.driver.blockManager.port", 0.2),
                   ("spark.blockManager.port", 0.2), ("spark.ui.port", 0.2)]:
        if maybe(p):
            add(key, rand_port(rng))

    # CPU.
    if maybe(0.35):
        add("spark.driver.cores", str(rng.choice([1, 2, 3, 4, 8, 16, 64])) if maybe(0.85)
            else rng.choice(["+2", "02", unicode_digits(rng, str(rng.randint(1, 9))),
                             odd_spacing(rng, "2")]))
    if maybe(0.25):
        add("spark.kubernetes.driver.request.cores", rand_quantity(rng))
    if maybe(0.25):
        add("spark.kubernetes.driver.limit.cores", rand_quantity(rng))

    # Memory.
    if maybe(0.6):
        add("spark.driver.memory", rand_memory(rng))
    if maybe(0.35):
        add("spark.driver.memoryOverhead", rand_memory(rng, allow_zero=True))
    if maybe(0.3):
        add("spark.driver.memoryOverheadFactor", rand_factor(rng))
    if maybe(0.3):
        add("spark.kubernetes.memoryOverheadFactor", rand_factor(rng, allow_zero=True))
    if maybe(0.15):
        add("spark.executor.memoryOverheadFactor", rand_factor(rng))

    # Python.
    if maybe(0.3 if kind == "python" else 0.05):
        add("spark.pyspark.python", rng.choice(["python3", "/opt/conda/bin/python", "py thon"]))
    if maybe(0.3 if kind == "python" else 0.05):
        add("spark.pyspark.driver.python", rng.choice(["python3", "/usr/bin/python3.10"]))
    if maybe(0.2 if kind == "python" else 0.03):
        add("spark.submit.pyFiles", rand_list(rng, rng.choice([".py", ".zip", ".egg"]), local_files))
    if maybe(0.1 if kind == "python" else 0.02):
        add("spark.executor.pyspark.memory", rand_memory(rng))
    if maybe(0.05):
        add("spark.kubernetes.pyspark.pythonVersion", "3")

    # Jars, files, archives.
    if maybe(0.25):
        add("spark.jars", rand_list(rng, ".jar", local_files))
    if maybe(0.2):
        add("spark.files", rand_list(rng, rng.choice([".conf", ".txt", ".json"]), local_files))
    if maybe(0.1):
        add("spark.archives", rand_list(rng, rng.choice([".zip", ".tar.gz#env", ".tgz"]), local_files))
    if local_files or maybe(0.05):
        add("spark.kubernetes.file.upload.path", upload)

    # Env.
    if maybe(0.5):
        for _ in range(rng.randint(1, 8)):
            name = rng.choice([
                rand_token(rng, 1, 10, string.ascii_uppercase + "_"),
                rand_token(rng, 1, 8, string.ascii_letters + string.digits + "_"),
                rng.choice(["SPARK_USER", "SPARK_APPLICATION_ID", "SPARK_LOCAL_DIRS", "PATH",
                            "JAVA_HOME", "SPARK_CONF_DIR", "PYSPARK_PYTHON", "a.b", "x-y", "1ST", ""]),
            ])
            add("spark.kubernetes.driverEnv." + name, rand_value(rng))
    if maybe(0.15):
        for _ in range(rng.randint(1, 3)):
            add("spark.kubernetes.driver.secretKeyRef." + rand_token(rng, 1, 8, string.ascii_uppercase + "_"),
                rng.choice([f"{rand_dns(rng)}:{rand_dns(rng)}", "db-secret:password", "s:k.with.dots",
                            f"{rand_dns(rng)}:{rand_dns(rng)}:"]))

    # Labels, annotations, node selectors.
    for prefix, p in [("spark.kubernetes.driver.label.", 0.4), ("spark.kubernetes.driver.annotation.", 0.4),
                      ("spark.kubernetes.driver.service.label.", 0.2),
                      ("spark.kubernetes.driver.service.annotation.", 0.2),
                      ("spark.kubernetes.node.selector.", 0.2), ("spark.kubernetes.driver.node.selector.", 0.2),
                      ("spark.kubernetes.executor.label.", 0.1), ("spark.kubernetes.executor.annotation.", 0.1),
                      ("spark.kubernetes.executor.node.selector.", 0.05)]:
        if maybe(p):
            for _ in range(rng.randint(1, 4)):
                v = rand_value(rng) if maybe(0.6) else rng.choice(
                    ["{{APP_ID}}", "{{EXECUTOR_ID}}", "x-{{APP_ID}}", "{{APP_ID}}/{{EXECUTOR_ID}}"])
                add(prefix + rand_label_key(rng), v)
    if maybe(0.05):
        add(rng.choice(["spark.kubernetes.driver.label.", "spark.kubernetes.driver.annotation.",
                        "spark.kubernetes.driverEnv.", "spark.kubernetes.driver.node.selector.",
                        "spark.kubernetes.driver.service.label.", "spark.kubernetes.driver.secrets."]),
            rand_value(rng) or "x")
    if maybe(0.05):
        add("spark.kubernetes.driver.service.label." + rng.choice(["spark-app-selector", "spark-role"]),
            rand_dns(rng))
    if maybe(0.1):
        # The same node-selector key in both maps.
        k = rand_label_key(rng)
        add("spark.kubernetes.node.selector." + k, "shared")
        add("spark.kubernetes.driver.node.selector." + k, "driver")

    # Service IP families.
    if maybe(0.2):
        add("spark.kubernetes.driver.service.ipFamilyPolicy",
            rng.choice(["SingleStack", "PreferDualStack", "RequireDualStack"]))
    if maybe(0.2):
        add("spark.kubernetes.driver.service.ipFamilies",
            rng.choice(["IPv4", "IPv6", "IPv4,IPv6", "IPv6,IPv4"]))

    # Custom resources.
    if maybe(0.15):
        for name in rng.sample(["gpu", "fpga", "tpu"], rng.randint(1, 2)):
            add(f"spark.driver.resource.{name}.amount", rng.choice(["1", "2", "4", "0", "+1", "01", unicode_digits(rng, "2"), odd_spacing(rng, "1")])
                if maybe(0.3) else str(rng.randint(1, 8)))
            add(f"spark.driver.resource.{name}.vendor",
                rng.choice(["nvidia.com", "amd.com", "intel.com", "example.com"]))
            if maybe(0.3):
                add(f"spark.driver.resource.{name}.discoveryScript", "/opt/getGpus.sh")
    if maybe(0.1):
        add("spark.executor.resource.gpu.amount", str(rng.randint(1, 4)))
        add("spark.executor.resource.gpu.vendor", "nvidia.com")

    # Secrets.
    if maybe(0.2):
        for _ in range(rng.randint(1, 3)):
            add("spark.kubernetes.driver.secrets." + rand_dns(rng, 1, 12),
                rng.choice(["/etc/secrets", "/mnt/" + rand_dns(rng), "/opt/s p a c e"]))
    if maybe(0.05):
        add("spark.kubernetes.executor.secrets." + rand_dns(rng), "/etc/exec-secrets")

    # Hadoop / Kerberos ConfigMaps.
    if maybe(0.12):
        add("spark.kubernetes.hadoop.configMapName", rng.choice(["hadoop-conf", rand_dns(rng)]))
    if maybe(0.12):
        add("spark.kubernetes.kerberos.krb5.configMapName", rng.choice(["krb5", rand_dns(rng)]))

    # Local dirs.
    if maybe(0.2):
        add("spark.local.dir", rng.choice(["/tmp/spark", "/a,/b", "/a,,/b", ",", ",/a", "/a,", "",
                                           " /a , /b ", "/x,/y,/z", "relative/dir"]))
    if maybe(0.15):
        add("spark.kubernetes.local.dirs.tmpfs", rng.choice(["true", "false", "TRUE", "False",
                                                             odd_spacing(rng, "true"), "yes", "1"]))

    # Things spark-submit owns, passed through the file only.
    if maybe(0.1):
        add("spark.driver.host", rng.choice(["my-host", "10.0.0.1", ""]))
    if maybe(0.1):
        add("spark.submit.deployMode", rng.choice(["cluster", "client"]))
    if maybe(0.1):
        add("spark.app.submitTime", str(rng.choice([1, 1600000000000, 1712345678901])))
    if maybe(0.05):
        add("spark.app.id", "user-set-id")
    if maybe(0.05):
        add("spark.kubernetes.submission.waitAppCompletion", rng.choice(["false", "true"]))

    # Executor keys: must pass through into spark.properties.
    exec_keys = [
        ("spark.executor.memory", lambda: rand_memory(rng)),
        ("spark.executor.cores", lambda: str(rng.randint(1, 16)) if rng.random() < 0.8
         else rng.choice([unicode_digits(rng, "4"), "+4", odd_spacing(rng, "4")])),
        ("spark.executor.instances", lambda: str(rng.randint(1, 100)) if rng.random() < 0.8
         else rng.choice(["0", unicode_digits(rng, "3"), "+3"])),
        ("spark.executor.memoryOverhead", lambda: rand_memory(rng)),
        ("spark.kubernetes.executor.request.cores", lambda: rand_quantity(rng)),
        ("spark.kubernetes.executor.limit.cores", lambda: rand_quantity(rng)),
        ("spark.kubernetes.executor.podNamePrefix", lambda: rand_dns(rng, 1, 30)),
        ("spark.kubernetes.executor.deleteOnTermination", lambda: "false"),
        ("spark.executorEnv." + rand_token(rng, 1, 8, string.ascii_uppercase), lambda: rand_value(rng)),
        ("spark.executor.extraJavaOptions", lambda: "-XX:+UseG1GC -Dx=" + rand_token(rng)),
        ("spark.driver.extraJavaOptions", lambda: "-Dfoo=bar -verbose:gc"),
        ("spark.dynamicAllocation.enabled", lambda: rng.choice(["true", "false", "TRUE",
                                                               odd_spacing(rng, "true")])),
        ("spark.kubernetes.allocation.batch.size", lambda: str(rng.randint(1, 20))),
    ]
    for key, val in exec_keys:
        if maybe(0.1):
            add(key, val())

    # Unknown keys, including ones resembling Spark's.
    if maybe(0.5):
        for _ in range(rng.randint(1, 5)):
            key = rng.choice([
                "spark.sql.shuffle.partitions", "spark.eventLog.enabled", "spark.eventLog.dir",
                "spark.custom." + rand_token(rng), "spark." + rand_token(rng, 1, 12, ALNUM + "."),
                "spark.kubernetes." + rand_token(rng), "spark.kubernetes.driver." + rand_token(rng),
                "spark.hadoop.fs.s3a.endpoint", "spark.sql.catalog.x", "spark.key with space",
                "spark.ünï", "spark.a=b", "spark.a:b", "spark.#x", "spark.",
                "spark.kubernetes.authenticate.submission.oauthToken",
                "spark.kubernetes.authenticate." + rand_token(rng) + ".oauthToken",
                "spark.kubernetes.authenticate.driver.mounted.caCertFile",
                "spark.kubernetes.authenticate.driver.mounted.oauthTokenFile",
                "spark.kubernetes.authenticate.submission.caCertFile",
                "spark.redaction.regex", "spark.kubernetes.driver.service.deleteOnTermination",
                "spark.kubernetes.driver.master", "spark.kubernetes.context",
                "spark.driver.supervise", "spark.kubernetes.driver.request.cores.extra",
            ])
            add(key, rand_value(rng))
    if maybe(0.1):
        add(rng.choice(["not.spark", "hadoop.x", "SPARK.upper", "sparkx.y"]), rand_value(rng))
    if maybe(0.05) and e:
        # A repeated key: the last value wins.
        k, _ = rng.choice(e)
        add(k, rand_value(rng) if not k.endswith(("image", "memory", "cores")) else dict(e)[k])

    rng.shuffle(e)
    if local_files:
        files = ["app.jar", "lib/app.jar", "job.py", "src/job.py", "LOCALFILE"]
    case = Case(f"case-{index:04d}", e, meta, files)
    case.syntax_seed = f"syntax:{seed}:{index}"
    return case


# --------------------------------------------------------------------------------------------
# Running


def materialize(case: Case, d: str):
    """Writes the case directory: spark.properties, case.json and any local files."""
    os.makedirs(d, exist_ok=True)
    absdir = os.path.abspath(d)

    def fix(s):
        return s.replace("ABSLOCALFILE", absdir + "/LOCALFILE").replace("file://ABS", "file://" + absdir + "/")

    entries = [(k, fix(v)) for k, v in case.entries]
    rng = random.Random(case.syntax_seed) if case.syntax_seed else None
    with open(os.path.join(d, "spark.properties"), "w", encoding="utf-8") as f:
        f.write(write_properties(entries, rng))
    meta = dict(case.meta)
    if "main_resource" in meta:
        meta["main_resource"] = fix(meta["main_resource"])
    with open(os.path.join(d, "case.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, ensure_ascii=False, indent=1)
        f.write("\n")
    for name in case.files:
        p = os.path.join(d, name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w", encoding="utf-8") as f:
            f.write("content of " + name + "\n")


def read_case(d: str) -> Case:
    """A case from an existing directory (spark.properties + optional case.json)."""
    with open(os.path.join(d, "spark.properties"), encoding="utf-8") as f:
        text = f.read()
    meta = {}
    if os.path.exists(os.path.join(d, "case.json")):
        with open(os.path.join(d, "case.json"), encoding="utf-8") as f:
            meta = json.load(f)
    entries = list(_ordered_entries(text))
    case = Case(os.path.basename(os.path.normpath(d)), entries, meta)
    case.raw_text = text
    return case


def _ordered_entries(text):
    for line in _logical_lines(text):
        k, v = _split_key_value(line)
        yield _load_convert(k), _load_convert(v)


def run_oracle(oracle_dir, d, meta):
    args = [os.path.join(oracle_dir, "render.sh"), "--role", meta.get("role", "driver"), "--json"]
    for key, flag in ORACLE_FLAGS.items():
        if key in meta:
            args += [flag, str(meta[key])]
        elif key in DEFAULTS:
            args += [flag, DEFAULTS[key]]
    for name, value in meta.get("env", {}).items():
        args += ["--env", f"{name}={value}"]
    args += [os.path.abspath(os.path.join(d, "spark.properties")), "--"]
    args += [str(a) for a in meta.get("app_args", [])]
    return subprocess.run(args, cwd=d, capture_output=True, timeout=TIMEOUT)


def run_ours(binary, d, meta):
    env = {k: v for k, v in os.environ.items() if k not in SUBMITTER_ENV}
    for name, value in meta.get("env", {}).items():
        env[name] = value
    g = lambda key: str(meta.get(key, DEFAULTS[key]))  # noqa: E731
    args = [binary, "driver", "--properties-file", "spark.properties",
            "--app-id", g("app_id"), "--unique-id", g("unique_id"),
            "--submit-time", g("submit_time"), "--spark-user", g("user"),
            "--driver-uid", g("driver_uid"), "--local-dir-uuid", g("local_dir_uuid"),
            "--upload-uuid", "00000000-0000-0000-0000-000000000000",
            "--class", g("main_class"), "-o", "json"]
    if "master" in meta:
        args += ["--master", str(meta["master"])]
    args.append(g("main_resource"))
    args += [str(a) for a in meta.get("app_args", [])]
    return subprocess.run(args, cwd=d, env=env, capture_output=True, timeout=TIMEOUT)


def oracle_error(stderr: str) -> str:
    m = re.search(r"^spark-oracle: error: .*", stderr, re.M | re.S)
    return (m.group(0) if m else stderr.strip()[-2000:]).strip()


def ours_error(stderr: str) -> str:
    lines = [ln for ln in stderr.splitlines() if not ln.startswith("spark-render: warning:")]
    return "\n".join(lines).strip()


# --------------------------------------------------------------------------------------------
# Normalisation and comparison (as cli/tests/common/mod.rs)


def _sort_key(v):
    return json.dumps(v, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _sort_runs(items, pred):
    i = 0
    while i < len(items):
        if pred(items[i]):
            start = i
            while i < len(items) and pred(items[i]):
                i += 1
            items[start:i] = sorted(items[start:i], key=_sort_key)
        else:
            i += 1


def normalize(obj):
    """cli/tests/common/mod.rs `normalize`: the date line of spark.properties dropped (the text is
    otherwise compared as is, line order included), SPARK_LOCAL_DIRS compared as a set, secret
    volumes and their mounts compared as sets within their run; env order is Spark's."""
    if obj.get("kind") == "ConfigMap":
        data = obj.get("data") or {}
        if isinstance(data.get("podspec-configmap-key"), str):
            text = data["podspec-configmap-key"]
            data["podspec-configmap-key"] = text[:-1] if text.endswith("\n") else text
        if isinstance(data.get("spark.properties"), str):
            lines = _rust_lines(data["spark.properties"])
            data["spark.properties"] = "\n".join(ln for i, ln in enumerate(lines) if i != 1)
    if obj.get("kind") == "Pod":
        spec = obj.get("spec") or {}
        volumes = spec.get("volumes") or []
        secret_volumes = {v.get("name") for v in volumes if "secret" in v}
        _sort_runs(volumes, lambda v: "secret" in v)
        for field in ("containers", "initContainers"):
            for c in spec.get(field) or []:
                for e in c.get("env") or []:
                    if e.get("name") == "SPARK_LOCAL_DIRS" and isinstance(e.get("value"), str):
                        e["value"] = ",".join(sorted(e["value"].split(",")))
                mounts = c.get("volumeMounts")
                if isinstance(mounts, list):
                    _sort_runs(mounts, lambda m: m.get("name") in secret_volumes)


def _rust_lines(text):
    """Rust's str::lines: split at \\n, a trailing \\r dropped, no empty last line."""
    parts = text.split("\n")
    if parts and parts[-1] == "":
        parts.pop()
    return [p[:-1] if p.endswith("\r") else p for p in parts]


def normalize_local_dirs(obj):
    """Beyond the test suite: Spark 3.5.3 (Scala 2.12) shuffles the local dirs
    (LocalDirsFeatureStep calls Utils.randomize on the split array, which shuffles it in place),
    so the spark-local-dir-N mount paths come in random order too: compare them as a multiset
    (the test suite does this for SPARK_LOCAL_DIRS only; regen-goldens.sh retries renders)."""
    if obj.get("kind") != "Pod":
        return
    for c in (obj.get("spec") or {}).get("containers") or []:
        mounts = [m for m in c.get("volumeMounts") or [] if str(m.get("name", "")).startswith("spark-local-dir-")]
        paths = sorted(m.get("mountPath", "") for m in mounts)
        for m, p in zip(mounts, paths):
            m["mountPath"] = p


def add_namespace(objects):
    ns = next((o["data"]["spark.kubernetes.namespace"] for o in objects
               if isinstance((o.get("data") or {}).get("spark.kubernetes.namespace"), str)), "default")
    for o in objects:
        o.setdefault("metadata", {}).setdefault("namespace", ns)


def key_of(o):
    return f"{o.get('kind', '?')}/{(o.get('metadata') or {}).get('name', '?')}"


def _j(v):
    return json.dumps(v, ensure_ascii=False, sort_keys=True)


def diff_properties(path, expected, actual, out):
    """spark.properties texts differ: show the entries that differ, else the first lines out of
    place (same entries in another order, or other escaping)."""
    try:
        e, a = load_properties(expected), load_properties(actual)
    except ValueError:
        e, a = None, None
    if e is not None and e != a:
        for k in sorted(set(e) | set(a)):
            sub = f"{path}.{k}"
            if k in e and k in a and e[k] != a[k]:
                out.append((sub, f"{sub}: Spark {_j(e[k])} != ours {_j(a[k])}"))
            elif k in e and k not in a:
                out.append((sub, f"{sub}: missing (Spark: {_j(e[k])})"))
            elif k in a and k not in e:
                out.append((sub, f"{sub}: unexpected {_j(a[k])}"))
        return
    el, al = expected.split("\n"), actual.split("\n")
    for i in range(max(len(el), len(al))):
        x = el[i] if i < len(el) else None
        y = al[i] if i < len(al) else None
        if x != y:
            out.append((f"{path}(text)", f"{path}: same entries, text differs from line {i + 1}: "
                        f"Spark {_j(x)} != ours {_j(y)}"))
            return


def diff(path, expected, actual, out):
    if path.endswith(".data.spark.properties") and isinstance(expected, str) and isinstance(actual, str):
        if expected != actual:
            diff_properties(path, expected, actual, out)
        return
    if isinstance(expected, dict) and isinstance(actual, dict):
        for k in sorted(set(expected) | set(actual)):
            sub = f"{path}.{k}"
            if k in expected and k in actual:
                diff(sub, expected[k], actual[k], out)
            elif k in expected:
                out.append((sub, f"{sub}: missing (Spark: {_j(expected[k])})"))
            else:
                out.append((sub, f"{sub}: unexpected {_j(actual[k])}"))
    elif isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for i, (ev, av) in enumerate(zip(expected, actual)):
            diff(f"{path}[{i}]", ev, av, out)
    elif expected != actual or type(expected) is not type(actual):
        out.append((path, f"{path}: Spark {_j(expected)} != ours {_j(actual)}"))


def compare(oracle_objs, our_objs):
    """Differences as (path, text) pairs; empty when equal."""
    expected = json.loads(json.dumps(oracle_objs))
    actual = json.loads(json.dumps(our_objs))
    add_namespace(expected)
    for o in expected + actual:
        normalize(o)
        normalize_local_dirs(o)
    out = []
    ek, ak = [key_of(o) for o in expected], [key_of(o) for o in actual]
    if ek != ak:
        out.append(("objects", f"objects: Spark {ek} != ours {ak}"))
    by_key = {key_of(o): o for o in actual}
    for o in expected:
        if key_of(o) in by_key:
            diff(key_of(o), o, by_key[key_of(o)], out)
    return out


def signature(path: str) -> str:
    """A diff path without object names and list indices, to group similar differences."""
    kind, _, rest = path.partition("/")
    rest = rest.split(".", 1)[1] if "." in rest else ""
    rest = re.sub(r"\[\d+\]", "[]", rest)
    return f"{kind}.{rest}" if rest else kind


# --------------------------------------------------------------------------------------------


class Result:
    def __init__(self, case, status, diffs=(), spark_err="", ours_err="", note=""):
        self.case = case
        self.status = status      # equal | both-refused | mismatch | refusal-mismatch | not-modelled | harness
        self.diffs = list(diffs)
        self.spark_err = spark_err
        self.ours_err = ours_err
        self.note = note

    def signatures(self):
        if self.status == "refusal-mismatch":
            if self.spark_err:
                return {"refusal: only Spark refuses: " + _message_shape(self.spark_err)}
            return {"refusal: only spark-render refuses: " + _message_shape(self.ours_err)}
        return {signature(p) for p, _ in self.diffs}


def _message_shape(msg: str) -> str:
    """An error message without its values (quoted strings, paths, numbers), to group refusals."""
    first = msg.strip().splitlines()[0] if msg.strip() else ""
    first = re.sub(r"^(spark-oracle|spark-render): error: ", "", first)
    first = re.sub(r'"[^"]*"', '"…"', first)
    first = re.sub(r"(file:|/)\S*", "…", first)
    first = re.sub(r"\d+", "N", first)
    return first[:90]


def run_case(case: Case, d: str, binary: str, oracle_dir: str, write: bool = True) -> Result:
    if write:
        materialize(case, d)
    meta = json.load(open(os.path.join(d, "case.json"), encoding="utf-8")) \
        if os.path.exists(os.path.join(d, "case.json")) else {}
    try:
        o = run_oracle(oracle_dir, d, meta)
        r = run_ours(binary, d, meta)
    except subprocess.TimeoutExpired as exc:
        return Result(case, "harness", note=f"timeout: {exc}")
    o_err, r_err = o.stderr.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")
    with open(os.path.join(d, "oracle.json"), "wb") as f:
        f.write(o.stdout)
    with open(os.path.join(d, "ours.json"), "wb") as f:
        f.write(r.stdout)
    with open(os.path.join(d, "stderr.txt"), "w", encoding="utf-8") as f:
        f.write(f"--- oracle (exit {o.returncode})\n{o_err}\n--- spark-render (exit {r.returncode})\n{r_err}\n")
    if o.returncode not in (0, 1) or r.returncode not in (0, 1):
        return Result(case, "harness", spark_err=oracle_error(o_err), ours_err=ours_error(r_err),
                      note=f"exit codes: oracle {o.returncode}, spark-render {r.returncode}")
    if o.returncode == 1 and r.returncode == 1:
        return Result(case, "both-refused", spark_err=oracle_error(o_err), ours_err=ours_error(r_err))
    if o.returncode == 0 and r.returncode == 1 and NOT_MODELLED in r_err:
        return Result(case, "not-modelled", ours_err=ours_error(r_err))
    if o.returncode != r.returncode:
        return Result(case, "refusal-mismatch",
                      spark_err=oracle_error(o_err) if o.returncode else "",
                      ours_err=ours_error(r_err) if r.returncode else "")
    try:
        oracle_objs = json.loads(o.stdout.decode("utf-8"))
        ours = json.loads(r.stdout.decode("utf-8"))
        our_objs = ours["items"] if isinstance(ours, dict) and "items" in ours else ours
        diffs = compare(oracle_objs, our_objs)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        return Result(case, "harness", note=f"cannot compare outputs: {exc!r}")
    with open(os.path.join(d, "diff.txt"), "w", encoding="utf-8") as f:
        f.write("".join(t + "\n" for _, t in diffs))
    return Result(case, "mismatch" if diffs else "equal", diffs)


# --------------------------------------------------------------------------------------------
# Minimisation


def _same_problem(res: Result, target: str) -> bool:
    return res.status in ("mismatch", "refusal-mismatch") and target in res.signatures()


def minimize(case: Case, target: str, d: str, binary, oracle_dir, log) -> tuple[Case, Result]:
    """Greedy shrinking: drops conf entries (halves, then one by one) and resets case.json
    fields while the difference `target` remains."""
    best = case.copy()
    best.syntax_seed = None
    best_res = run_case(best, d, binary, oracle_dir)
    if not _same_problem(best_res, target):
        best = case.copy()
        best_res = run_case(best, d, binary, oracle_dir)

    def attempt(cand):
        nonlocal best, best_res
        res = run_case(cand, d, binary, oracle_dir)
        if _same_problem(res, target):
            best, best_res = cand, res
            return True
        return False

    chunk = max(1, len(best.entries) // 2)
    while chunk >= 1:
        i = 0
        while i < len(best.entries):
            cand = best.copy()
            del cand.entries[i:i + chunk]
            if not attempt(cand):
                i += chunk
        chunk //= 2
    for key in list(best.meta):
        if key == "role":
            continue
        cand = best.copy()
        del cand.meta[key]
        attempt(cand)
    if "main_resource" in best.meta or best.files:
        cand = best.copy()
        cand.files = []
        attempt(cand)
    log(f"  minimized {target!r}: {len(case.entries)} -> {len(best.entries)} entries")
    return best, best_res


# --------------------------------------------------------------------------------------------
# Reporting


def describe(res: Result, d: str) -> str:
    out = [f"=== {res.case.name}: {res.status} ({d})"]
    if os.path.exists(os.path.join(d, "case.json")):
        meta = json.load(open(os.path.join(d, "case.json"), encoding="utf-8"))
        if meta:
            out.append("case.json: " + json.dumps(meta, ensure_ascii=False))
    out.append("spark.properties:")
    for k, v in res.case.entries:
        out.append("  " + write_properties([(k, v)]).splitlines()[1])
    if res.status == "refusal-mismatch":
        out.append("Spark:        " + (res.spark_err or "renders").replace("\n", "\n              "))
        out.append("spark-render: " + (res.ours_err or "renders").replace("\n", "\n              "))
    elif res.status == "harness":
        out.append("harness: " + res.note)
        out.append("Spark: " + res.spark_err)
        out.append("spark-render: " + res.ours_err)
    else:
        shown = res.diffs[:40]
        out += ["  " + t for _, t in shown]
        if len(res.diffs) > len(shown):
            out.append(f"  ... {len(res.diffs) - len(shown)} more differences")
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=50, help="number of generated cases (default 50)")
    ap.add_argument("--seed", default="1", help="seed of the generator (default 1)")
    ap.add_argument("--keep", metavar="DIR", help="keep every case directory under DIR")
    ap.add_argument("--jobs", type=int, default=max(1, min(4, os.cpu_count() or 1)),
                    help="cases rendered in parallel")
    ap.add_argument("--only", help="comma-separated case indices to run (of the same seed)")
    ap.add_argument("--minimize", action="store_true", help="shrink each distinct mismatch")
    ap.add_argument("--replay", nargs="+", metavar="CASE_DIR",
                    help="render existing case directories instead of generated cases")
    ap.add_argument("--binary", default=os.environ.get("SPARK_RENDER",
                                                       os.path.join(REPO, "target/debug/spark-render")),
                    help="the spark-render binary (default $SPARK_RENDER, else target/debug/spark-render)")
    ap.add_argument("--oracle", default=os.environ.get("SPARK_ORACLE",
                                                       os.path.join(REPO, "..", "shared", "spark-oracle")),
                    help="the spark-oracle folder (default $SPARK_ORACLE, else ../shared/spark-oracle)")
    ap.add_argument("-q", "--quiet", action="store_true", help="no per-case progress")
    a = ap.parse_args(argv)

    binary = os.path.abspath(a.binary)
    oracle_dir = os.path.abspath(a.oracle)
    if not os.access(binary, os.X_OK):
        print(f"difftest: no spark-render binary at {binary} (cargo build -p spark-render)", file=sys.stderr)
        return 2
    if not os.path.exists(os.path.join(oracle_dir, "render.sh")):
        print(f"difftest: no oracle at {oracle_dir}", file=sys.stderr)
        return 2

    root = os.path.abspath(a.keep) if a.keep else tempfile.mkdtemp(prefix="difftest-")
    os.makedirs(root, exist_ok=True)
    uploads = os.path.join(root, "uploads")
    os.makedirs(uploads, exist_ok=True)

    jobs = []  # (case, dir, write)
    if a.replay:
        for src in a.replay:
            case = read_case(src)
            d = os.path.join(root, case.name)
            if os.path.abspath(src) != d:
                shutil.copytree(src, d, dirs_exist_ok=True)
            jobs.append((case, d, False))
    else:
        indices = [int(x) for x in a.only.split(",")] if a.only else range(a.cases)
        for i in indices:
            case = generate(a.seed, i, uploads)
            jobs.append((case, os.path.join(root, case.name), True))

    lock = threading.Lock()

    def log(msg):
        with lock:
            print(msg, file=sys.stderr, flush=True)

    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as pool:
        futures = {pool.submit(run_case, c, d, binary, oracle_dir, w): (c, d) for c, d, w in jobs}
        for n, fut in enumerate(concurrent.futures.as_completed(futures), 1):
            c, d = futures[fut]
            try:
                res = fut.result()
            except Exception as exc:  # noqa: BLE001 - reported as a harness failure
                res = Result(c, "harness", note=repr(exc))
            results.append((res, d))
            if not a.quiet:
                log(f"[{n}/{len(jobs)}] {c.name}: {res.status}")
    results.sort(key=lambda rd: rd[0].case.name)

    counts = {}
    for res, _ in results:
        counts[res.status] = counts.get(res.status, 0) + 1
    bad = [(r, d) for r, d in results if r.status in ("mismatch", "refusal-mismatch", "harness")]

    for res, d in bad:
        print(describe(res, d))
        print()

    by_sig = {}
    for res, _ in bad:
        for s in sorted(res.signatures() or {"harness"}):
            by_sig.setdefault(s, []).append(res.case.name)

    if a.minimize and bad:
        print("=== minimized mismatches")
        done = set()
        for res, d in bad:
            if res.status == "harness":
                continue
            for target in sorted(res.signatures()):
                if target in done:
                    continue
                mdir = f"{d}-min{len(done) + 1}"
                if os.path.exists(mdir):
                    shutil.rmtree(mdir)
                shutil.copytree(d, mdir)
                small, small_res = minimize(res.case, target, mdir, binary, oracle_dir, log)
                done |= small_res.signatures() if _same_problem(small_res, target) else {target}
                print(f"--- {target} (from {res.case.name})")
                print(describe(small_res, mdir))
                print()

    print("=== summary")
    print(f"cases: {len(results)}  " + "  ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    for s, names in sorted(by_sig.items()):
        print(f"  {s}: {len(names)} case(s), e.g. {', '.join(names[:5])}")
    print(f"case directories: {root}" if a.keep else "(use --keep DIR to keep the case directories)")
    if not a.keep:
        shutil.rmtree(root, ignore_errors=True)
    if counts.get("harness"):
        return 2
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
