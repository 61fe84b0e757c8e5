#!/usr/bin/env python3
"""Writes the inputs of the yaml-scalars cases (spark.properties + pod templates) and rows.json.

    python3 testdata/yaml-scalars/gen-cases.py

Every (scalar form, target field) pair studied here is one row of rows.json; a row names the case
that shows it and where to look (the path of the value in the first object of a role, or the case's
oracle-error.txt when the render is refused). The goldens themselves come from
scripts/regen-yaml-scalars.sh, which also rebuilds the generated part of TABLE.md from rows.json.

Grouping: a refused value fails the whole render, so every refused pair gets its own case
(refuse-<target>-<form>). Accepted pairs are grouped: one case per multi-slot target (labels,
annotations, nodeSelector, env values, args, container ports, extended-resource limits, an unknown
field) holding every accepted form, and "pod-fields-NN" cases for the single-slot fields (one form
per field per case).

The split into accepted / refused below (accepts()) is the rule set observed with the reference
renderer; regen-yaml-scalars.sh checks it: a case expected to render must render and a refusal case
must be refused, otherwise it reports the case.

Case directories of this group that are no longer produced are removed (inputs and goldens).

rows.json:
  forms   [{id, yaml (the form as written, block scalars with \\n), family, quoting}]
  targets [{id, title, type, type_title, field, primary}]  (primary: every form of the target's
          form set is rendered; a second field of a Java type gets one refusal per kind)
  cases   {case: "ok" | "refused"}  (the outcome the case is built for)
  rows    [{target, form, case, role, path?}]  and, for the structure cases,
          [{section: "structure", label, case, role, path?, show?}]
A path is looked up in the first object of the role's group in oracle.yaml (the Pod): a string
step is a map key, an integer a list index, {"name": X} the list item whose name is X. A row
without a path is shown by the case's oracle-error.txt.
"""
import json
import os
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
IMAGE = "apache/spark:3.5.3"
DRIVER = "spark-kubernetes-driver"
EXECUTOR = "spark-kubernetes-executor"

# ---------------------------------------------------------------------------------------------
# Scalar forms. A form is (id, source lines, kind). The first source line is what follows
# "key: " (or "- "); further lines are block-scalar content, indented 2 more than the key.


class Form:
    def __init__(self, fid, src, family, quoting):
        self.id = fid
        self.src = src if isinstance(src, list) else [src]
        self.family = family      # bool, int, float, date, null, empty, string, block, tag, collection
        self.quoting = quoting    # plain, single, double, block, tag, flow

    @property
    def display(self):
        """The form as written in a template (block scalars on one line with \\n)."""
        if len(self.src) == 1:
            return self.src[0] if self.src[0] != "" else "(empty value)"
        return self.src[0] + "\\n" + "\\n".join("  " + l for l in self.src[1:])


FORMS = []


def add(fid, src, family, quoting):
    FORMS.append(Form(fid, src, family, quoting))


def words(family, items):
    for text, slug in items:
        add("p-" + slug, text, family, "plain")
        add("s-" + slug, "'" + text + "'", family, "single")
        add("d-" + slug, '"' + text + '"', family, "double")


words("bool", [("true", "true"), ("false", "false"), ("True", "true-cap"), ("TRUE", "true-upper"),
               ("False", "false-cap"), ("FALSE", "false-upper"), ("yes", "yes"), ("no", "no"),
               ("y", "y"), ("n", "n"), ("on", "on"), ("off", "off")])
words("int", [("123", "int-123"), ("-7", "int-neg7"), ("+7", "int-plus7"), ("0", "int-0"),
              ("-0", "int-neg0"), ("007", "int-007"), ("0o17", "int-0o17"), ("017", "int-017"),
              ("0x1F", "int-0x1f"), ("1_000", "int-1_000"), ("1e3", "int-1e3"),
              ("2147483648", "int-2pow31"), ("9223372036854775808", "int-2pow63")])
words("float", [("1.50", "float-1.50"), ("1.0", "float-1.0"), ("30.0", "float-30.0"),
                (".5", "float-dot5"), ("1e-3", "float-1e-3"), (".inf", "float-inf"),
                ("-.inf", "float-neg-inf"), (".nan", "float-nan"), ("1.", "float-1dot"),
                ("-0.0", "float-neg0.0"), ("1.5e3", "float-1.5e3")])
words("date", [("2024-01-01", "date"), ("2024-01-01T10:00:00Z", "datetime")])
words("null", [("~", "null-tilde"), ("null", "null"), ("Null", "null-cap"), ("NULL", "null-upper")])
add("p-empty-value", "", "null", "plain")
add("s-empty", "''", "empty", "single")
add("d-empty", '""', "empty", "double")
words("string", [("hello", "str-hello"), ("hello world", "str-hello-world")])
add("s-spaced-7", "' 7 '", "string", "single")
add("s-spaced-true", "' true '", "string", "single")
add("s-escapes", "'it''s'", "string", "single")
add("d-escapes", r'"tab\there \u00e9 \"q\""', "string", "double")
add("block-literal", ["|", "line1", "line2"], "block", "block")
add("block-literal-strip", ["|-", "line1", "line2"], "block", "block")
add("block-folded", [">", "folded", "text"], "block", "block")
add("block-folded-strip", [">-", "folded", "text"], "block", "block")
add("block-digits", ["|-", "123"], "block", "block")
add("tag-str-123", "!!str 123", "tag", "tag")
add("tag-str-true", "!!str true", "tag", "tag")
add("tag-int-5", '!!int "5"', "tag", "tag")
add("tag-float-1.5", '!!float "1.5"', "tag", "tag")
add("tag-bool-true", '!!bool "true"', "tag", "tag")
add("tag-null", '!!null ""', "tag", "tag")
add("tag-binary", "!!binary aGVsbG8=", "tag", "tag")
add("map", "{a: b}", "collection", "flow")
add("list", "[a, b]", "collection", "flow")
add("map-empty", "{}", "collection", "flow")
add("list-empty", "[]", "collection", "flow")

BY_ID = {f.id: f for f in FORMS}
assert len(BY_ID) == len(FORMS)

# ---------------------------------------------------------------------------------------------
# What the YAML loader makes of a form (snakeyaml-engine with its default JSON schema: only
# true/false, null/empty, JSON-style integers and floats and .inf/-.inf/.nan are not strings).

INT_RE = re.compile(r"-?(0|[1-9][0-9]*)$")
FLOAT_RE = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]*)?([eE][-+]?[0-9]+)?$")


def unquote(text):
    if text.startswith("'"):
        return text[1:-1].replace("''", "'")
    return json.loads(text)


def parsed(form):
    """(class, value) of the loaded node."""
    s = form.src
    if form.quoting in ("single", "double"):
        return "str", unquote(s[0])
    if form.quoting == "block":
        body = "\n".join(s[1:]) if s[0].startswith("|") else " ".join(s[1:])
        return "str", body if s[0].endswith("-") else body + "\n"
    if form.quoting == "flow":
        return ("map" if s[0].startswith("{") else "list"), None
    if form.quoting == "tag":
        tag, _, rest = s[0].partition(" ")
        if tag == "!!str":
            return "str", rest
        if tag == "!!int":
            return "int", int(unquote(rest))
        if tag == "!!float":
            return "float", float(unquote(rest))
        if tag == "!!bool":
            return "bool", unquote(rest) == "true"
        if tag == "!!null":
            return "null", None
        if tag == "!!binary":
            return "binary", rest
        raise ValueError(s)
    t = s[0]
    if t in ("true", "false"):
        return "bool", t == "true"
    if t in ("", "null"):
        return "null", None
    if INT_RE.match(t):
        return "int", int(t)
    if FLOAT_RE.match(t) or t in (".inf", "-.inf", ".nan"):
        return "float", float(t.replace(".inf", "inf").replace(".nan", "nan"))
    return "str", t


I32 = (-2**31, 2**31 - 1)
I64 = (-2**63, 2**63 - 1)
QUANTITY_REFUSED_STRINGS = {"", "2024-01-01T10:00:00Z"}


def accepts(ttype, form):
    """The observed rule: does a field of Java type ttype accept the form?"""
    cls, v = parsed(form)
    if ttype == "untyped":
        return True
    if cls in ("map", "list"):
        return False
    if ttype in ("strmap", "string", "strlist"):
        return True
    if ttype in ("i32", "i64"):
        lo, hi = I32 if ttype == "i32" else I64
        if cls == "null":
            return True
        if cls == "int":
            return lo <= v <= hi
        if cls == "float":
            if v != v:
                return True     # NaN becomes 0
            return v not in (float("inf"), float("-inf")) and lo <= int(v) <= hi
        if cls == "str":
            t = v.strip()
            if v == "null":
                return True     # the text null counts as null
            return t == "" or (re.match(r"[+-]?[0-9]+$", t) is not None and lo <= int(t) <= hi)
        return False
    if ttype == "bool":
        if cls in ("null", "bool", "int"):
            return True
        if cls == "str":
            return v == "null" or v.strip() in ("", "true", "True", "TRUE", "false", "False", "FALSE")
        return False
    if ttype == "quantity":
        return not (cls == "str" and v in QUANTITY_REFUSED_STRINGS)
    if ttype == "intorstring":
        if cls == "int":
            return I32[0] <= v <= I32[1]
        return cls in ("str", "null")
    raise ValueError(ttype)


# Forms used for the typed (non-string) targets: each distinct value the loader can produce once.
# A quoted form is left out when its plain spelling already loads as the same string, and the
# double-quoted spelling is left out because it loads exactly like the single-quoted one (both are
# shown side by side in the string and unknown-field rows).
def typed_forms():
    out = []
    for f in FORMS:
        if f.quoting == "double" or f.id == "s-escapes":
            continue
        if f.quoting == "single" and f.id.startswith("s-") and ("p-" + f.id[2:]) in BY_ID:
            if parsed(BY_ID["p-" + f.id[2:]])[0] == "str":
                continue
        out.append(f)
    return out


ALL_FORMS = FORMS
TYPED_FORMS = typed_forms()

# Representatives used for refusals of the secondary fields (a second field of a Java type that
# another field covers in full): the first one of each kind of refusal.
SECONDARY_REFUSALS = ["p-true", "p-yes", "p-float-1.50", "p-float-inf", "p-int-2pow31",
                      "p-int-2pow63", "s-int-123", "p-datetime", "s-empty", "tag-binary", "map",
                      "list"]


def refusal_kind(ttype, form):
    cls, v = parsed(form)
    if cls in ("int", "float") and ttype in ("i32", "i64", "intorstring"):
        return cls + "-range"
    return cls


# ---------------------------------------------------------------------------------------------
# Targets.


class Target:
    def __init__(self, tid, title, ttype, field, primary, forms, slots=1):
        self.id, self.title, self.ttype, self.field = tid, title, ttype, field
        self.primary, self.forms, self.slots = primary, forms, slots


TYPE_TITLES = {
    "strmap": "string map value (Map<String,String>)",
    "string": "string field (String)",
    "strlist": "string list item (List<String>)",
    "i32": "i32 field (Integer)",
    "i64": "i64 field (Long)",
    "bool": "bool field (Boolean)",
    "quantity": "Quantity",
    "intorstring": "IntOrString",
    "untyped": "unknown field (kept as loaded)",
}

MULTI = [
    Target("label", "label", "strmap", "metadata.labels.<form>", True, ALL_FORMS),
    Target("annotation", "annotation", "strmap", "metadata.annotations.<form>", False, ALL_FORMS),
    Target("node-selector", "nodeSelector", "strmap", "spec.nodeSelector.<form>", False, ALL_FORMS),
    Target("env", "env value", "string", "containers[spark].env[name=V_<FORM>].value", True,
           ALL_FORMS),
    Target("args", "args item", "strlist", "containers[spark].args[i]", True, ALL_FORMS),
    Target("container-port", "containerPort", "i32", "containers[spark].ports[name=<form>].containerPort",
           True, TYPED_FORMS),
    Target("resource-limit", "limits extended resource", "quantity",
           "containers[spark].resources.limits.example.com/<form>", True, TYPED_FORMS),
    Target("unknown-field", "unknown field", "untyped", "spec.xUnknown.<form>", True, ALL_FORMS),
]
SINGLE = [
    Target("sa", "serviceAccountName", "string", "spec.serviceAccountName", False, TYPED_FORMS),
    Target("priority", "priority", "i32", "spec.priority", False, TYPED_FORMS),
    Target("grace-period", "terminationGracePeriodSeconds", "i64",
           "spec.terminationGracePeriodSeconds", True, TYPED_FORMS),
    Target("deadline", "activeDeadlineSeconds", "i64", "spec.activeDeadlineSeconds", False,
           TYPED_FORMS),
    Target("host-network", "hostNetwork", "bool", "spec.hostNetwork", True, TYPED_FORMS),
    Target("automount", "automountServiceAccountToken", "bool",
           "spec.automountServiceAccountToken", False, TYPED_FORMS),
    Target("probe-port", "probe httpGet.port", "intorstring",
           "containers[spark].{liveness,readiness,startup}Probe.httpGet.port", True, TYPED_FORMS,
           slots=3),
    Target("cpu", "limits.cpu", "quantity", "containers[spark].resources.limits.cpu", False,
           TYPED_FORMS),
    Target("gpu", "limits.nvidia.com/gpu", "quantity",
           "containers[spark].resources.limits.nvidia.com/gpu", False, TYPED_FORMS),
]
TARGETS = {t.id: t for t in MULTI + SINGLE}
PROBES = ["livenessProbe", "readinessProbe", "startupProbe"]

# ---------------------------------------------------------------------------------------------
# YAML emission.


def kv(indent, key, form):
    """Lines for 'key: <form>' at the given indentation."""
    pad = " " * indent
    first = form.src[0]
    lines = [pad + key + ":" + (" " + first if first != "" else "")]
    lines += [pad + "  " + l for l in form.src[1:]]
    return lines


def item(indent, form):
    """Lines for '- <form>' with the dash at the given indentation."""
    pad = " " * indent
    first = form.src[0]
    lines = [pad + "-" + (" " + first if first != "" else "")]
    lines += [pad + "  " + l for l in form.src[1:]]
    return lines


def env_name(form):
    return "V_" + re.sub(r"[^A-Z0-9]", "_", form.id.upper())


def pod_yaml(metadata=(), spec=(), container=(), name=DRIVER, head=("apiVersion: v1", "kind: Pod")):
    lines = list(head)
    if metadata:
        lines += ["metadata:"] + list(metadata)
    lines += ["spec:"] + list(spec)
    lines += ["  containers:", "  - name: " + name] + list(container)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Cases.

CASES = {}   # name -> {"files": {name: text}, "comment": str, "expect": "ok"|"refused"}
ROWS = []


def add_case(name, comment, files, expect, driver=True, executor=False):
    assert name not in CASES, name
    props = ["# " + line for line in comment.split("\n")]
    props += ["spark.app.name=" + name, "spark.kubernetes.container.image=" + IMAGE]
    if driver:
        props.append("spark.kubernetes.driver.podTemplateFile=driver-template.yaml")
    if executor:
        props.append("spark.kubernetes.executor.podTemplateFile=executor-template.yaml")
    files = dict(files)
    files["spark.properties"] = "\n".join(props) + "\n"
    CASES[name] = {"files": files, "expect": expect}


def row(target, form, case, path=None, role="driver"):
    """One (form, target) result: the value at path in the first object of the role, or (no path)
    the case's refusal."""
    r = {"target": target, "form": form, "case": case, "role": role}
    if path is not None:
        r["path"] = path
    ROWS.append(r)


SPARK = {"name": DRIVER}


def multi_case(t, forms):
    """The template holding the forms in target t (driver template)."""
    meta, spec, cont, paths = [], [], [], {}
    if t.id in ("label", "annotation"):
        key = "labels" if t.id == "label" else "annotations"
        meta.append("  " + key + ":")
        for f in forms:
            meta += kv(4, f.id, f)
            paths[f.id] = ["metadata", key, f.id]
    elif t.id == "node-selector":
        spec.append("  nodeSelector:")
        for f in forms:
            spec += kv(4, f.id, f)
            paths[f.id] = ["spec", "nodeSelector", f.id]
    elif t.id == "unknown-field":
        spec.append("  xUnknown:")
        for f in forms:
            spec += kv(4, f.id, f)
            paths[f.id] = ["spec", "xUnknown", f.id]
    elif t.id == "env":
        cont.append("    env:")
        for f in forms:
            cont += ["    - name: " + env_name(f)] + kv(6, "value", f)
            paths[f.id] = ["spec", "containers", SPARK, "env", {"name": env_name(f)}, "value"]
    elif t.id == "args":
        cont.append("    args:")
        for i, f in enumerate(forms):
            cont += item(4, f)
            paths[f.id] = ["spec", "containers", SPARK, "args", i]
    elif t.id == "container-port":
        cont.append("    ports:")
        for f in forms:
            cont += ["    - name: " + f.id] + kv(6, "containerPort", f)
            paths[f.id] = ["spec", "containers", SPARK, "ports", {"name": f.id}, "containerPort"]
    elif t.id == "resource-limit":
        cont += ["    resources:", "      limits:"]
        for f in forms:
            cont += kv(8, "example.com/" + f.id, f)
            paths[f.id] = ["spec", "containers", SPARK, "resources", "limits", "example.com/" + f.id]
    else:
        raise ValueError(t.id)
    return pod_yaml(meta, spec, cont), paths


def single_lines(t, form, slot):
    """(spec lines, container lines, path) for form in single-slot target t."""
    if t.id == "sa":
        return kv(2, "serviceAccountName", form), [], ["spec", "serviceAccountName"]
    if t.id in ("priority", "grace-period", "deadline", "host-network", "automount"):
        key = {"priority": "priority", "grace-period": "terminationGracePeriodSeconds",
               "deadline": "activeDeadlineSeconds", "host-network": "hostNetwork",
               "automount": "automountServiceAccountToken"}[t.id]
        return kv(2, key, form), [], ["spec", key]
    if t.id == "probe-port":
        probe = PROBES[slot]
        return [], ["    " + probe + ":", "      httpGet:"] + kv(8, "port", form), \
            ["spec", "containers", SPARK, probe, "httpGet", "port"]
    if t.id in ("cpu", "gpu"):
        key = "cpu" if t.id == "cpu" else "nvidia.com/gpu"
        return [], kv(8, key, form), ["spec", "containers", SPARK, "resources", "limits", key]
    raise ValueError(t.id)


def refusal_case(t, f):
    name = "refuse-%s-%s" % (t.id, f.id)
    if t in MULTI:
        text, _ = multi_case(t, [f])
    else:
        spec, cont, _ = single_lines(t, f, 0)
        if t.id in ("cpu", "gpu"):
            cont = ["    resources:", "      limits:"] + cont
        text = pod_yaml((), spec, cont)
    add_case(name, "Refused: %s as %s (%s)." % (f.display, t.title, t.field),
             {"driver-template.yaml": text}, "refused")
    row(t.id, f.id, name)


def build():
    # Multi-slot targets: every accepted form in one case; every refused form alone.
    for t in MULTI:
        ok = [f for f in t.forms if accepts(t.ttype, f)]
        bad = [f for f in t.forms if not accepts(t.ttype, f)]
        name = {"label": "labels", "annotation": "annotations", "node-selector": "node-selector",
                "env": "env-values", "args": "args", "container-port": "container-ports",
                "resource-limit": "resource-limits", "unknown-field": "unknown-field"}[t.id]
        text, paths = multi_case(t, ok)
        add_case(name, "Every accepted scalar form as %s (%s), one entry per form." % (t.title, t.field),
                 {"driver-template.yaml": text}, "ok")
        for f in ok:
            row(t.id, f.id, name, paths[f.id])
        if not t.primary:
            seen, reps = set(), []
            for fid in SECONDARY_REFUSALS:
                f = BY_ID[fid]
                if f in bad and refusal_kind(t.ttype, f) not in seen:
                    seen.add(refusal_kind(t.ttype, f))
                    reps.append(f)
            bad = reps
        for f in bad:
            refusal_case(t, f)

    # Single-slot targets: pack accepted forms into pod-fields-NN cases.
    queues = {}
    for t in SINGLE:
        queues[t.id] = [f for f in t.forms if accepts(t.ttype, f)]
    n = max((len(queues[t.id]) + t.slots - 1) // t.slots for t in SINGLE if t.primary)
    # secondaries with more accepted forms than slots: keep a spread (every k-th form)
    for t in SINGLE:
        q = queues[t.id]
        cap = n * t.slots
        if len(q) > cap:
            step = len(q) / cap
            queues[t.id] = [q[int(i * step)] for i in range(cap)]
    for i in range(n):
        name = "pod-fields-%02d" % (i + 1)
        spec, cont, limits, placed = [], [], [], []
        for t in SINGLE:
            for s in range(t.slots):
                k = i * t.slots + s
                if k >= len(queues[t.id]):
                    continue
                f = queues[t.id][k]
                sl, cl, path = single_lines(t, f, s)
                spec += sl
                (limits if t.id in ("cpu", "gpu") else cont).extend(cl)
                placed.append((t, f, path))
        if limits:
            cont += ["    resources:", "      limits:"] + limits
        desc = "\n".join("  %s: %s" % (t.title, f.display) for t, f, _ in placed)
        add_case(name, "Single-slot fields, one accepted form each:\n" + desc,
                 {"driver-template.yaml": pod_yaml((), spec, cont)}, "ok")
        for t, f, path in placed:
            row(t.id, f.id, name, path)
    for t in SINGLE:
        bad = [f for f in t.forms if not accepts(t.ttype, f)]
        if not t.primary:
            seen, reps = set(), []
            for fid in SECONDARY_REFUSALS:
                f = BY_ID[fid]
                if f in bad and refusal_kind(t.ttype, f) not in seen:
                    seen.add(refusal_kind(t.ttype, f))
                    reps.append(f)
            bad = reps
        for f in bad:
            refusal_case(t, f)

    build_executor()
    build_structure()


def build_executor():
    """The executor reads its template with the same loader (from the driver's ConfigMap copy)."""
    forms = [BY_ID[i] for i in ("p-true", "p-yes", "p-int-007", "p-int-1e3", "p-float-1.50",
                                "p-float-nan", "p-null", "s-empty", "block-literal", "tag-int-5")]
    meta = ["  labels:"]
    cont = ["    env:"]
    for f in forms:
        meta += kv(4, f.id, f)
        cont += ["    - name: " + env_name(f)] + kv(6, "value", f)
    spec = kv(2, "priority", BY_ID["p-int-plus7"])
    spec += kv(2, "hostNetwork", BY_ID["p-int-123"])
    spec += kv(2, "terminationGracePeriodSeconds", BY_ID["p-float-1.50"])
    text = pod_yaml(meta, spec, cont, name=EXECUTOR)
    name = "executor-template"
    add_case(name, "An executor template with a sample of the forms: Spark loads it the same way "
             "(the driver\nonly copies its text into a ConfigMap).",
             {"executor-template.yaml": text}, "ok", driver=False, executor=True)
    ex = {"name": EXECUTOR}
    for f in forms:
        row("label", f.id, name, ["metadata", "labels", f.id], role="executor")
        row("env", f.id, name, ["spec", "containers", ex, "env", {"name": env_name(f)}, "value"],
            role="executor")
    row("priority", "p-int-plus7", name, ["spec", "priority"], role="executor")
    row("host-network", "p-int-123", name, ["spec", "hostNetwork"], role="executor")
    row("grace-period", "p-float-1.50", name, ["spec", "terminationGracePeriodSeconds"],
        role="executor")
    name = "executor-refuse-host-network-p-yes"
    text = pod_yaml((), kv(2, "hostNetwork", BY_ID["p-yes"]), (), name=EXECUTOR)
    add_case(name, "Refused on the executor side: yes as hostNetwork in the executor template (the "
             "driver objects render).", {"executor-template.yaml": text}, "refused", driver=False,
             executor=True)
    row("host-network", "p-yes", name, role="executor")


STRUCT = "structure"


def struct_case(name, comment, text, expect, rows):
    """rows: (label, path) or (label, path, show); show limits what the table prints of a long
    value: {"limit": n} (first n list items) or {"omit_prefix": p} (map keys starting with p)."""
    files = {"driver-template.yaml": text}
    add_case(name, comment, files, expect)
    for r in rows:
        label, path = r[0], r[1]
        entry = {"section": STRUCT, "label": label, "case": name, "role": "driver"}
        if path is not None:
            entry["path"] = path
        if len(r) > 2:
            entry["show"] = r[2]
        ROWS.append(entry)


def build_structure():
    S = SPARK
    struct_case(
        "merge-key-in-labels",
        "A merge key (<<: *base) in a string map: the loader has no merge keys, so << is an "
        "ordinary key\nwhose value is a map.",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  labels: &base\n    team: a\n  annotations:\n"
        "    <<: *base\n    extra: c\nspec:\n  containers:\n  - name: " + DRIVER + "\n",
        "refused", [("`annotations: {<<: *base, extra: c}` (base = labels)", None)])
    struct_case(
        "merge-key-in-container",
        "A merge key in the Spark container: << stays an unknown container field holding the "
        "aliased map;\nthe merged fields are not set.",
        "apiVersion: v1\nkind: Pod\nspec:\n  xDefaults: &base\n    workingDir: /opt/base\n"
        "    imagePullPolicy: Always\n  containers:\n  - <<: *base\n    name: " + DRIVER + "\n",
        "ok", [("container `<<: *base` → field `<<`", ["spec", "containers", S, "<<"]),
               ("container `<<: *base` → workingDir", ["spec", "containers", S, "workingDir"]),
               ("container `<<: *base` → imagePullPolicy", ["spec", "containers", S, "imagePullPolicy"]),
               ("anchor holder `spec.xDefaults`", ["spec", "xDefaults"])])
    struct_case(
        "anchors-aliases",
        "Anchors and aliases: a scalar alias in a map, in an env value and in typed fields, and a "
        "map alias.",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  labels: &l\n    team: &t spark\n    owner: *t\n"
        "  annotations: *l\nspec:\n  priority: &p 5\n  terminationGracePeriodSeconds: *p\n"
        "  nodeSelector: *l\n  containers:\n  - name: " + DRIVER + "\n    env:\n    - name: A\n"
        "      value: *t\n    ports:\n    - name: p\n      containerPort: *p\n",
        "ok", [("`owner: *t` (t = spark)", ["metadata", "labels", "owner"]),
               ("`annotations: *l` (l = labels)", ["metadata", "annotations"]),
               ("`nodeSelector: *l`", ["spec", "nodeSelector"]),
               ("`priority: &p 5`", ["spec", "priority"]),
               ("`terminationGracePeriodSeconds: *p`", ["spec", "terminationGracePeriodSeconds"]),
               ("env `value: *t`", ["spec", "containers", S, "env", {"name": "A"}, "value"]),
               ("`containerPort: *p`", ["spec", "containers", S, "ports", {"name": "p"}, "containerPort"])])
    struct_case(
        "alias-undefined", "An alias with no anchor.",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    team: *nowhere\nspec:\n"
        "  containers:\n  - name: " + DRIVER + "\n",
        "refused", [("`team: *nowhere`", None)])
    struct_case(
        "duplicate-map-key", "The same key twice in a string map (labels).",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    team: first\n    team: second\n"
        "spec:\n  containers:\n  - name: " + DRIVER + "\n",
        "refused", [("labels `team: first` then `team: second`", None)])
    struct_case(
        "duplicate-field", "The same field twice in the pod spec (serviceAccountName).",
        "apiVersion: v1\nkind: Pod\nspec:\n  serviceAccountName: one\n  serviceAccountName: two\n"
        "  containers:\n  - name: " + DRIVER + "\n",
        "refused", [("`serviceAccountName: one` then `serviceAccountName: two`", None)])
    struct_case(
        "custom-tag", "A local tag on a scalar (!custom x).",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    team: !custom x\nspec:\n"
        "  containers:\n  - name: " + DRIVER + "\n",
        "refused", [("label `team: !custom x`", None)])
    struct_case(
        "python-object-tag", "A language-specific tag (!!python/object:foo {}).",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    team: !!python/object:foo {}\nspec:\n"
        "  containers:\n  - name: " + DRIVER + "\n",
        "refused", [("label `team: !!python/object:foo {}`", None)])
    struct_case(
        "timestamp-tag", "An explicit YAML 1.1 timestamp tag (!!timestamp 2024-01-01).",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    team: !!timestamp 2024-01-01\n"
        "spec:\n  containers:\n  - name: " + DRIVER + "\n",
        "refused", [("label `team: !!timestamp 2024-01-01`", None)])
    struct_case(
        "int-tag-not-a-number", "An explicit !!int tag on text that is no integer.",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    team: !!int \"abc\"\nspec:\n"
        "  containers:\n  - name: " + DRIVER + "\n",
        "refused", [("label `team: !!int \"abc\"`", None)])
    struct_case(
        "api-version-v2", "apiVersion: v2 (no such Pod version).",
        "apiVersion: v2\nkind: Pod\nspec:\n  containers:\n  - name: " + DRIVER + "\n",
        "ok", [("`apiVersion: v2` → apiVersion", ["apiVersion"]), ("`apiVersion: v2` → kind", ["kind"])])
    struct_case(
        "kind-deployment", "kind: Deployment with apiVersion v1.",
        "apiVersion: v1\nkind: Deployment\nspec:\n  containers:\n  - name: " + DRIVER + "\n",
        "ok", [("`kind: Deployment` → apiVersion", ["apiVersion"]), ("`kind: Deployment` → kind", ["kind"])])
    struct_case(
        "no-api-version-no-kind", "A template with neither apiVersion nor kind.",
        "spec:\n  containers:\n  - name: " + DRIVER + "\n",
        "ok", [("no apiVersion → apiVersion", ["apiVersion"]), ("no kind → kind", ["kind"])])
    struct_case(
        "multi-document", "Two YAML documents in one template file.",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    doc: one\nspec:\n  containers:\n"
        "  - name: " + DRIVER + "\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n"
        "    doc: two\nspec:\n  containers:\n  - name: other\n",
        "refused", [("two documents separated by `---`", None)])
    struct_case(
        "map-keys", "Map keys that are not strings to the loader (int, bool, float) in labels, and a "
        "complex key.",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    1: one\n    true: t\n    1.50: f\n"
        "    1e3: e\n    007: z\n    ? [a, b]\n    : c\nspec:\n  containers:\n  - name: " + DRIVER + "\n",
        "ok", [("label keys `1`, `true`, `1.50`, `1e3`, `007`, `[a, b]`", ["metadata", "labels"],
                {"omit_prefix": "spark-"})])
    struct_case(
        "null-map-key", "A null map key (null: n) in labels.",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    null: n\nspec:\n  containers:\n"
        "  - name: " + DRIVER + "\n",
        "refused", [("label key `null`", None)])
    struct_case(
        "null-collections", "Null given for maps and lists (labels, nodeSelector, args, env, ports).",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\nspec:\n  nodeSelector: null\n  containers:\n"
        "  - name: " + DRIVER + "\n    args: null\n    env:\n    ports:\n",
        "ok", [("`labels:` (null) → labels", ["metadata", "labels"], {"omit_prefix": "spark-"}),
               ("`nodeSelector: null` → nodeSelector", ["spec", "nodeSelector"]),
               ("`args: null` → args", ["spec", "containers", S, "args"], {"limit": 1}),
               ("`env:` (null) → env", ["spec", "containers", S, "env"], {"limit": 1}),
               ("`ports:` (null) → ports", ["spec", "containers", S, "ports"], {"limit": 1})])
    struct_case(
        "null-list-items", "Null items in lists of objects and of strings.",
        "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: " + DRIVER + "\n    args:\n"
        "    - a\n    -\n    - ~\n    env:\n    -\n    - name: A\n",
        "ok", [("args `[a, (empty), ~]`", ["spec", "containers", S, "args"], {"limit": 4}),
               ("env `[(empty), {name: A}]`", ["spec", "containers", S, "env"], {"limit": 3})])
    scal = [
        ("labels-string", "metadata", "  labels: x", "`labels: x`"),
        ("labels-empty-string", "metadata", "  labels: ''", "`labels: ''`"),
        ("labels-list", "metadata", "  labels: [a, b]", "`labels: [a, b]`"),
        ("node-selector-empty-string", "spec", "  nodeSelector: ''", "`nodeSelector: ''`"),
        ("args-string", "container", "    args: hello", "`args: hello`"),
        ("args-int", "container", "    args: 5", "`args: 5`"),
        ("args-empty-string", "container", "    args: ''", "`args: ''`"),
        ("args-map", "container", "    args: {a: b}", "`args: {a: b}`"),
        ("args-nested-list", "container", "    args: [[a], b]", "`args: [[a], b]`"),
        ("env-map", "container", "    env: {A: b}", "`env: {A: b}`"),
        ("ports-int", "container", "    ports: 8080", "`ports: 8080`"),
        ("resources-empty-string", "container", "    resources: ''", "`resources: ''`"),
        ("limits-string", "container", "    resources:\n      limits: \"2\"", "`limits: \"2\"`"),
        ("probe-string", "container", "    livenessProbe: x", "`livenessProbe: x`"),
    ]
    for name, where, line, label in scal:
        if where == "metadata":
            text = "apiVersion: v1\nkind: Pod\nmetadata:\n" + line + "\nspec:\n  containers:\n  - name: " + DRIVER + "\n"
        elif where == "spec":
            text = "apiVersion: v1\nkind: Pod\nspec:\n" + line + "\n  containers:\n  - name: " + DRIVER + "\n"
        else:
            text = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: " + DRIVER + "\n" + line + "\n"
        struct_case("scalar-for-" + name, "A scalar (or the wrong collection) where a map or list is "
                    "expected: " + label.strip("`") + ".", text, "refused", [(label, None)])
    for name, line, label in [
            ("metadata", "metadata: x", "`metadata: x`"),
            ("spec", "spec: x", "`spec: x`"),
            ("containers", "spec:\n  containers: x", "`containers: x`")]:
        text = "apiVersion: v1\nkind: Pod\n" + line + "\n"
        if name == "metadata":
            text += "spec:\n  containers:\n  - name: " + DRIVER + "\n"
        struct_case("scalar-for-" + name, "A scalar where an object or list is expected: " +
                    label.strip("`") + ".", text, "refused", [(label, None)])
    struct_case(
        "quantity-as-map", "A Quantity given as a map with amount/format keys (limits.cpu, "
        "nvidia.com/gpu).",
        "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: " + DRIVER + "\n"
        "    resources:\n      limits:\n        cpu: {amount: \"2\", format: m}\n"
        "        nvidia.com/gpu: {amount: 3}\n",
        "ok", [("`cpu: {amount: \"2\", format: m}`", ["spec", "containers", S, "resources", "limits", "cpu"]),
               ("`nvidia.com/gpu: {amount: 3}`",
                ["spec", "containers", S, "resources", "limits", "nvidia.com/gpu"])])


def main():
    build()
    managed = set(CASES)
    for d in sorted(os.listdir(HERE)):
        p = os.path.join(HERE, d)
        if os.path.isdir(p) and d not in managed and os.path.exists(os.path.join(p, "spark.properties")):
            shutil.rmtree(p)
    for name, c in CASES.items():
        d = os.path.join(HERE, name)
        os.makedirs(d, exist_ok=True)
        for fn in ("driver-template.yaml", "executor-template.yaml"):
            if fn not in c["files"] and os.path.exists(os.path.join(d, fn)):
                os.remove(os.path.join(d, fn))
        for fn, text in c["files"].items():
            with open(os.path.join(d, fn), "w", encoding="utf-8") as fh:
                fh.write(text)
    manifest = {
        "forms": [{"id": f.id, "yaml": f.display, "family": f.family, "quoting": f.quoting}
                  for f in FORMS],
        "targets": [{"id": t.id, "title": t.title, "type": t.ttype, "type_title": TYPE_TITLES[t.ttype],
                     "field": t.field, "primary": t.primary} for t in MULTI + SINGLE],
        "cases": {name: c["expect"] for name, c in sorted(CASES.items())},
        "rows": ROWS,
    }
    with open(os.path.join(HERE, "rows.json"), "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, indent=1, ensure_ascii=False)
        fh.write("\n")
    print("%d cases (%d expected to render, %d refusals), %d rows" % (
        len(CASES), sum(1 for c in CASES.values() if c["expect"] == "ok"),
        sum(1 for c in CASES.values() if c["expect"] == "refused"), len(ROWS)), file=sys.stderr)


if __name__ == "__main__":
    main()
