#!/usr/bin/env bash
# Regenerate engine/src/config/entries/spark_<X_Y_Z>.rs: every conf entry a Spark release declares
# (key, value type, default, version, internal, deprecated alternatives, doc), read from the
# release's own jars.
#
#   scripts/gen-conf-entries.sh [--spark-version X.Y.Z]    (default 3.5.3)
#
# The jars come from the reference renderer's cache,
# ${SPARK_ORACLE_CACHE:-$HOME/.cache/spark-oracle}/X.Y.Z/jars, which
# `../shared/spark-oracle/setup.sh --spark-version X.Y.Z` fills.
#
# scripts/conf-entries/DumpConfEntries.java initialises Spark's config holder objects and dumps
# ConfigEntry.knownConfigs. It runs twice, in two different environments (working directory, home,
# temp dir, time zone, locale, host name, CPU count, heap size); a default that differs between the
# two runs depends on the machine and is written as EntryDefault::Computed. The output depends
# only on the jars: running the script twice gives the same file.
#
# Needs: bash, Java 17 (java, javac). Takes ~20 s; prints a summary (entry count, value types,
# objects that failed to initialise, entries of Unknown type) on stderr.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$REPO/scripts/conf-entries/DumpConfEntries.java"

version=3.5.3
while [ $# -gt 0 ]; do
  case "$1" in
    --spark-version) version="${2:?--spark-version needs a value}"; shift 2 ;;
    --spark-version=*) version="${1#*=}"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "gen-conf-entries: unknown argument: $1 (usage: $0 [--spark-version X.Y.Z])" >&2; exit 2 ;;
  esac
done
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "gen-conf-entries: not a release number: $version" >&2
  exit 2
fi

JARS="${SPARK_ORACLE_CACHE:-$HOME/.cache/spark-oracle}/$version/jars"
if ! compgen -G "$JARS/spark-core_*.jar" >/dev/null; then
  echo "gen-conf-entries: no Spark $version jars in $JARS" >&2
  echo "run: ../shared/spark-oracle/setup.sh --spark-version $version" >&2
  exit 1
fi
OUT="$REPO/engine/src/config/entries/spark_${version//./_}.rs"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# Compile the dumper (it uses reflection only: no Spark on the compile class path).
javac -nowarn --release 17 -d "$TMP/classes" "$SRC"

# One dump in a clean environment; $1 names the run, the rest are its settings.
dump() {
  local run="$1" tz="$2" host="$3" ip="$4" cpus="$5" heap="$6" lang="$7" country="$8"
  local dir="$TMP/$run"
  mkdir -p "$dir/home" "$dir/tmp" "$dir/cwd"
  (
    cd "$dir/cwd"
    env -i PATH="$PATH" LANG=C.UTF-8 TZ="$tz" HOME="$dir/home" TMPDIR="$dir/tmp" \
      SPARK_LOCAL_HOSTNAME="$host" SPARK_LOCAL_IP="$ip" \
      java -Xmx"$heap" -XX:ActiveProcessorCount="$cpus" -XX:TieredStopAtLevel=1 \
        -Duser.timezone="$tz" -Duser.home="$dir/home" -Duser.name="spark-$run" \
        -Djava.io.tmpdir="$dir/tmp" -Duser.language="$lang" -Duser.country="$country" \
        -cp "$TMP/classes:$JARS/*" DumpConfEntries dump "$JARS" "$TMP/$run.tsv" \
        >"$TMP/$run.log" 2>&1
  ) || { cat "$TMP/$run.log" >&2; echo "gen-conf-entries: dump $run failed" >&2; exit 1; }
}
dump a UTC host-a.invalid 10.1.1.1 2 1g en US
dump b Pacific/Chatham host-b.invalid 10.2.2.2 17 1200m de DE

# Report what the first run saw (the second sees the same objects).
grep -E '^(searched jars|initialised objects|holder objects|skipped|warning)' "$TMP/a.log" >&2 || true

mkdir -p "$(dirname "$OUT")"
java -cp "$TMP/classes" DumpConfEntries emit "$version" "$TMP/out.rs" "$TMP/a.tsv" "$TMP/b.tsv"
mv "$TMP/out.rs" "$OUT"
echo "wrote ${OUT#"$REPO"/}" >&2
