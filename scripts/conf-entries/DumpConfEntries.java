// Reads every ConfigEntry a Spark release declares, from the release's own jars.
//
// Two modes (driven by scripts/gen-conf-entries.sh):
//
//   java -cp CLASSES:JARS/* DumpConfEntries dump JARS OUT.tsv
//       Initialises the release's config holder objects, then writes one line per entry of
//       ConfigEntry.knownConfigs: key, value type, default, version, internal, alternatives, doc.
//       Failures to initialise an object are reported on stderr.
//
//   java -cp CLASSES DumpConfEntries emit VERSION OUT.rs A.tsv B.tsv
//       Merges two dumps taken in different environments (cwd, time zone, host name, CPUs, ...):
//       a default that differs between them depends on the environment and becomes Computed.
//       Writes the Rust table, sorted by key.
//
// Only reflection is used, so this file compiles without Spark on the class path.

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

public final class DumpConfEntries {

    private static final String CONFIG_PKG = "org.apache.spark.internal.config.";

    /** The jars whose objects are searched for config entries (name before `_<scala>-<ver>.jar`). */
    private static final List<String> SEARCHED_JARS = List.of(
        "spark-core", "spark-common-utils", "spark-kubernetes", "spark-sql", "spark-sql-api",
        "spark-catalyst", "spark-yarn", "spark-hive");

    /** Objects that must exist in every release; missing one is an error, not a skip. */
    private static final List<String> REQUIRED_OBJECTS = List.of(
        CONFIG_PKG + "package$",
        "org.apache.spark.deploy.k8s.Config$",
        "org.apache.spark.sql.internal.SQLConf$",
        "org.apache.spark.sql.internal.StaticSQLConf$");

    /** Strings fed to a value converter to learn the type it produces. */
    private static final List<String> PROBES = List.of(
        "1", "2", "0", "true", "false", "1.5", "1k", "1m", "1g", "1s", "1ms", "a,b", "a", "");

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("dump")) {
            dump(Paths.get(args[1]), Paths.get(args[2]));
        } else if (args.length == 5 && args[0].equals("emit")) {
            emit(args[1], Paths.get(args[2]), Paths.get(args[3]), Paths.get(args[4]));
        } else {
            System.err.println("usage: DumpConfEntries dump JARS OUT.tsv"
                + " | emit VERSION OUT.rs A.tsv B.tsv");
            System.exit(2);
        }
    }

    // ---------------------------------------------------------------------------------------
    // dump

    private static Class<?> configEntry;
    private static Method apply1;

    private static void dump(Path jars, Path out) throws Exception {
        ClassLoader loader = DumpConfEntries.class.getClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        configEntry = Class.forName(CONFIG_PKG + "ConfigEntry", false, loader);
        apply1 = Class.forName("scala.Function1", false, loader).getMethod("apply", Object.class);

        // Find the holder objects: every top-level object of spark-core's config package, and
        // every top-level object of the searched jars that declares a ConfigEntry field.
        Set<String> objects = new TreeSet<>();
        List<String> searched = new ArrayList<>();
        for (Path jar : jarsIn(jars)) {
            String name = jar.getFileName().toString();
            String artifact = name.replaceFirst("_\\d+\\.\\d+-.*$", "");
            if (!SEARCHED_JARS.contains(artifact)) continue;
            searched.add(name);
            try (JarFile jf = new JarFile(jar.toFile())) {
                for (Enumeration<JarEntry> en = jf.entries(); en.hasMoreElements(); ) {
                    JarEntry e = en.nextElement();
                    String path = e.getName();
                    // Top-level objects only: `pkg/Name$.class`, no `$` inside the name.
                    if (!path.endsWith("$.class")) continue;
                    String cls = path.substring(0, path.length() - ".class".length()).replace('/', '.');
                    String simple = cls.substring(cls.lastIndexOf('.') + 1);
                    if (simple.indexOf('$') != simple.length() - 1) continue;
                    boolean inConfigPkg = cls.startsWith(CONFIG_PKG)
                        && cls.indexOf('.', CONFIG_PKG.length()) < 0;
                    if (inConfigPkg || mentionsConfigEntry(jf, e)) objects.add(cls);
                }
            }
        }
        System.err.println("searched jars: " + String.join(" ", searched));

        for (String req : REQUIRED_OBJECTS) {
            if (!objects.contains(req)) objects.add(req); // fails below if really absent
        }
        int loaded = 0;
        List<String> holders = new ArrayList<>();
        for (String cls : objects) {
            Class<?> c;
            try {
                c = Class.forName(cls, false, loader);
            } catch (Throwable t) {
                if (REQUIRED_OBJECTS.contains(cls)) throw new IllegalStateException("missing " + cls, t);
                System.err.println("skipped (cannot load): " + cls + ": " + t);
                continue;
            }
            boolean inConfigPkg = cls.startsWith(CONFIG_PKG);
            if (!inConfigPkg && !REQUIRED_OBJECTS.contains(cls) && !holdsEntries(c)) continue;
            Object module;
            try {
                // Loading MODULE$ runs the object's initialiser, which registers its entries.
                Class.forName(cls, true, loader);
                Field f = c.getField("MODULE$");
                module = f.get(null);
            } catch (NoSuchFieldException e) {
                continue; // not a Scala object
            } catch (Throwable t) {
                if (REQUIRED_OBJECTS.contains(cls)) throw new IllegalStateException("cannot initialise " + cls, t);
                System.err.println("skipped (initialisation failed): " + cls + ": " + rootCause(t));
                continue;
            }
            // Entries held in lazy vals are only created when read.
            for (Method m : c.getMethods()) {
                if (m.getParameterCount() == 0 && configEntry.isAssignableFrom(m.getReturnType())
                        && !Modifier.isStatic(m.getModifiers())) {
                    try {
                        m.invoke(module);
                    } catch (Throwable t) {
                        System.err.println("warning: " + cls + "." + m.getName() + "(): " + rootCause(t));
                    }
                }
            }
            loaded++;
            if (!inConfigPkg) holders.add(cls);
        }
        System.err.println("initialised objects: " + loaded);
        System.err.println("holder objects outside " + CONFIG_PKG + "*: " + String.join(" ", holders));

        Object companion = Class.forName(CONFIG_PKG + "ConfigEntry$", true, loader).getField("MODULE$").get(null);
        @SuppressWarnings("unchecked")
        Map<String, Object> known =
            (Map<String, Object>) companion.getClass().getMethod("knownConfigs").invoke(companion);

        Set<String> hostNames = localHostNames();
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> kv : new TreeMap<>(known).entrySet()) {
            Object entry = kv.getValue();
            String key = (String) call(entry, "key");
            if (!key.equals(kv.getKey())) throw new IllegalStateException("key mismatch: " + key);
            String[] dflt = defaultOf(entry, hostNames);
            List<String> alternatives = new ArrayList<>();
            for (Object a : scalaIterable(call(entry, "alternatives"))) alternatives.add((String) a);
            String doc = Objects.toString(call(entry, "doc"), "").replaceAll("\\s+", " ").trim();
            String since = Objects.toString(call(entry, "version"), "");
            boolean internal = !(Boolean) call(entry, "isPublic");
            List<String> fields = List.of(key, classify(entry), dflt[0], dflt[1], since,
                String.valueOf(internal), String.join("\t", alternatives), doc,
                entry.getClass().getSimpleName());
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) sb.append('\t');
                sb.append(escapeField(fields.get(i)));
            }
            sb.append('\n');
        }
        Files.write(out, sb.toString().getBytes(StandardCharsets.UTF_8));
        System.err.println("entries: " + known.size());
    }

    private static List<Path> jarsIn(Path dir) throws IOException {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.jar")) {
            for (Path p : ds) jars.add(p);
        }
        jars.sort(null);
        return jars;
    }

    /** Cheap pre-filter: does the class file name a ConfigEntry type at all? */
    private static boolean mentionsConfigEntry(JarFile jf, JarEntry e) throws IOException {
        try (InputStream in = jf.getInputStream(e)) {
            String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            return text.contains("org/apache/spark/internal/config/") && text.contains("ConfigEntry;");
        }
    }

    /** Whether the object declares a field (plain or lazy val) of a ConfigEntry type. */
    private static boolean holdsEntries(Class<?> c) {
        try {
            for (Field f : c.getDeclaredFields()) {
                if (configEntry.isAssignableFrom(f.getType())) return true;
            }
        } catch (Throwable t) {
            System.err.println("skipped (cannot inspect): " + c.getName() + ": " + rootCause(t));
        }
        return false;
    }

    /** The entry's default as {kind, text}: None, Value, Fallback (text = key) or Computed. */
    private static String[] defaultOf(Object entry, Set<String> hostNames) {
        String kind = entry.getClass().getSimpleName();
        switch (kind) {
            case "OptionalConfigEntry":
                return new String[] {"None", ""};
            case "FallbackConfigEntry":
                return new String[] {"Fallback", (String) call(call(entry, "fallback"), "key")};
            case "ConfigEntryWithDefault":
            case "ConfigEntryWithDefaultString":
            case "ConfigEntryWithDefaultFunction": {
                String first, second;
                try {
                    first = (String) call(entry, "defaultValueString");
                    second = (String) call(entry, "defaultValueString");
                } catch (RuntimeException e) {
                    return new String[] {"Computed", ""};
                }
                // A function giving different answers, or an answer naming this host, is not a
                // constant. (Defaults depending on cwd, time zone, ... are caught by `emit`.)
                // `createWithDefault(null)` declares no value: Spark reads such an entry as unset.
                if (first == null && second == null && !kind.endsWith("Function")) {
                    return new String[] {"None", ""};
                }
                if (first == null || !first.equals(second)) return new String[] {"Computed", ""};
                for (String h : hostNames) {
                    if (first.contains(h)) return new String[] {"Computed", ""};
                }
                return new String[] {"Value", first};
            }
            default:
                System.err.println("warning: unknown entry class " + kind + " for " + call(entry, "key"));
                return new String[] {"Computed", ""};
        }
    }

    private static Set<String> localHostNames() {
        Set<String> names = new LinkedHashSet<>();
        try {
            InetAddress local = InetAddress.getLocalHost();
            names.add(local.getHostName());
            names.add(local.getCanonicalHostName());
            names.add(local.getHostAddress());
        } catch (IOException e) {
            // no host name to look for
        }
        names.removeIf(n -> n == null || n.length() < 4 || n.equals("localhost")
            || n.startsWith("127."));
        return names;
    }

    // ---------------------------------------------------------------------------------------
    // value types

    private static final Pattern TYPE_MISMATCH =
        Pattern.compile("should be (int|long|double|boolean)\\b");
    private static final Pattern ONE_OF = Pattern.compile("should be one of (.*), but was ");
    /** The messages of TypedConfigBuilder.checkValue (both forms) and checkValues. */
    private static final Pattern CHECK_FAILED = Pattern.compile(
        "(^'.*' in \\S+|The value '.*' in the config \"\\S+\") is invalid\\."
            + "|should be one of .*, but was ", Pattern.DOTALL);

    /**
     * The value type, as the Rust variant text. The string converter (value -> string) names
     * the unit of byte and time entries and tells a list from a plain value; the value converter
     * (string -> value), fed probe strings, gives the class of the other values.
     */
    private static String classify(Object entry) {
        // A fallback entry takes the converters, so the type, of the entry it falls back to.
        if (entry.getClass().getSimpleName().equals("FallbackConfigEntry")) {
            return classify(call(entry, "fallback"));
        }
        Object conv, toStr;
        if (entry.getClass().getSimpleName().equals("OptionalConfigEntry")) {
            conv = call(entry, "rawValueConverter");
            toStr = call(entry, "rawStringConverter");
        } else {
            conv = call(entry, "valueConverter");
            toStr = call(entry, "stringConverter");
        }

        // Bytes: `<n>b` for 1 unit; time: `<n>ms` for 1 (or 10^6) units.
        String one = tryApply(toStr, 1L);
        if (one != null) {
            Matcher m = Pattern.compile("(\\d+)(b|ms)").matcher(one);
            if (m.matches() && m.group(2).equals("b")) {
                switch (m.group(1)) {
                    case "1": return "Bytes(ByteUnit::Byte)";
                    case "1024": return "Bytes(ByteUnit::Kib)";
                    case "1048576": return "Bytes(ByteUnit::Mib)";
                    case "1073741824": return "Bytes(ByteUnit::Gib)";
                    case "1099511627776": return "Bytes(ByteUnit::Tib)";
                    case "1125899906842624": return "Bytes(ByteUnit::Pib)";
                    default: return "Unknown";
                }
            }
            if (m.matches()) {
                switch (m.group(1)) {
                    case "0": {
                        String million = tryApply(toStr, 1_000_000L);
                        if ("1ms".equals(million)) return "Time(TimeUnit::Nanoseconds)";
                        if ("1000ms".equals(million)) return "Time(TimeUnit::Microseconds)";
                        return "Unknown";
                    }
                    case "1": return "Time(TimeUnit::Milliseconds)";
                    case "1000": return "Time(TimeUnit::Seconds)";
                    case "60000": return "Time(TimeUnit::Minutes)";
                    case "3600000": return "Time(TimeUnit::Hours)";
                    case "86400000": return "Time(TimeUnit::Days)";
                    default: return "Unknown";
                }
            }
        }
        // A list joins its elements with commas; a plain toString would print `List(a, b)`.
        Object list = scalaList("a", "b");
        if ("a,b".equals(tryApply(toStr, list))) return "Seq";

        // Feed probes (and the declared default) to the value converter.
        Set<String> found = new TreeSet<>();
        List<String> messages = new ArrayList<>();
        List<String> probes = new ArrayList<>(PROBES);
        String dflt = defaultStringOrNull(entry);
        if (dflt != null) probes.add(0, dflt);
        for (String p : probes) probe(conv, p, found, messages);
        if (found.isEmpty()) {
            // Enumerated strings: retry with the allowed values the error message lists.
            for (String msg : messages) {
                Matcher m = ONE_OF.matcher(msg);
                if (m.find()) {
                    for (String v : m.group(1).split(", ")) probe(conv, v, found, messages);
                }
            }
        }
        if (found.isEmpty()) {
            // A failed conversion names the expected type.
            for (String msg : messages) {
                Matcher m = TYPE_MISMATCH.matcher(msg);
                if (m.find()) found.add(typeOfName(m.group(1)));
            }
        }
        if (found.isEmpty() && !messages.isEmpty() && "1".equals(one)
                && messages.stream().allMatch(m -> CHECK_FAILED.matcher(m).find())) {
            // Every probe ("1", "true", "1.5", "a,b", ...) got past the conversion and was only
            // refused by a checkValue: the plain string converter (toString rendering) does that.
            found.add("String");
        }
        if (found.isEmpty() && !entry.getClass().getSimpleName().equals("OptionalConfigEntry")) {
            // The typed default value itself.
            try {
                Object d = call(entry, "defaultValue");
                for (Object v : scalaIterable(d)) found.add(typeOfValue(v));
            } catch (RuntimeException e) {
                // no usable default
            }
        }
        found.remove("Unknown");
        return found.size() == 1 ? found.iterator().next() : "Unknown";
    }

    private static void probe(Object conv, String p, Set<String> found, List<String> messages) {
        try {
            Object v = apply1.invoke(conv, p);
            found.add(typeOfValue(v));
        } catch (InvocationTargetException e) {
            messages.add(String.valueOf(e.getCause().getMessage()));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String typeOfName(String name) {
        switch (name) {
            case "int": return "Int";
            case "long": return "Long";
            case "double": return "Double";
            case "boolean": return "Bool";
            default: return "Unknown";
        }
    }

    private static String typeOfValue(Object v) {
        if (v instanceof Boolean) return "Bool";
        if (v instanceof Integer) return "Int";
        if (v instanceof Long) return "Long";
        if (v instanceof Double) return "Double";
        if (v instanceof String) return "String";
        if (v instanceof Enum) return "String";
        if (v == null) return "Unknown";
        if (isInstance("scala.collection.Seq", v)) return "Seq";
        // Regexes and enumeration values are validated strings.
        if (isInstance("scala.util.matching.Regex", v)) return "String";
        if (isInstance("scala.Enumeration$Value", v)) return "String";
        return "Unknown";
    }

    private static boolean isInstance(String cls, Object v) {
        try {
            return Class.forName(cls, false, v.getClass().getClassLoader() == null
                ? DumpConfEntries.class.getClassLoader() : v.getClass().getClassLoader()).isInstance(v);
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static String defaultStringOrNull(Object entry) {
        switch (entry.getClass().getSimpleName()) {
            case "ConfigEntryWithDefault":
            case "ConfigEntryWithDefaultString":
            case "ConfigEntryWithDefaultFunction":
                try {
                    return (String) call(entry, "defaultValueString");
                } catch (RuntimeException e) {
                    return null;
                }
            default:
                return null;
        }
    }

    private static String tryApply(Object fn, Object arg) {
        try {
            Object r = apply1.invoke(fn, arg);
            return r instanceof String ? (String) r : null;
        } catch (InvocationTargetException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Scala interop

    private static Object call(Object target, String method) {
        try {
            return target.getClass().getMethod(method).invoke(target);
        } catch (InvocationTargetException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException ? (RuntimeException) c : new RuntimeException(c);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(method + " on " + target.getClass(), e);
        }
    }

    /** The elements of a Scala collection (or Option). */
    private static List<Object> scalaIterable(Object coll) {
        List<Object> out = new ArrayList<>();
        Object it = call(coll, "iterator");
        while ((Boolean) call(it, "hasNext")) out.add(call(it, "next"));
        return out;
    }

    /** A Scala `List` of the given strings. */
    private static Object scalaList(String... items) {
        try {
            ClassLoader l = DumpConfEntries.class.getClassLoader();
            Class<?> nil = Class.forName("scala.collection.immutable.Nil$", true, l);
            Object list = nil.getField("MODULE$").get(null);
            Class<?> cons = Class.forName("scala.collection.immutable.$colon$colon", true, l);
            Class<?> listCls = Class.forName("scala.collection.immutable.List", false, l);
            for (int i = items.length - 1; i >= 0; i--) {
                list = cons.getConstructor(Object.class, listCls).newInstance(items[i], list);
            }
            return list;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.toString();
    }

    // ---------------------------------------------------------------------------------------
    // dump file: tab-separated, one entry a line, fields escaped

    private static String escapeField(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\': sb.append("\\\\"); break;
                case '\t': sb.append("\\t"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                default: sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String unescapeField(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') { sb.append(c); continue; }
            char n = s.charAt(++i);
            sb.append(n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : n);
        }
        return sb.toString();
    }

    private static final class Row {
        String key, type, defaultKind, defaultText, since, doc, entryClass;
        boolean internal;
        List<String> alternatives;
    }

    private static Map<String, Row> readDump(Path p) throws IOException {
        Map<String, Row> rows = new TreeMap<>();
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", -1);
            if (f.length != 9) throw new IllegalStateException("bad dump line in " + p + ": " + line);
            Row r = new Row();
            r.key = unescapeField(f[0]);
            r.type = f[1];
            r.defaultKind = f[2];
            r.defaultText = unescapeField(f[3]);
            r.since = unescapeField(f[4]);
            r.internal = Boolean.parseBoolean(f[5]);
            String alts = unescapeField(f[6]);
            r.alternatives = alts.isEmpty() ? List.of() : List.of(alts.split("\t", -1));
            r.doc = unescapeField(f[7]);
            r.entryClass = f[8];
            rows.put(r.key, r);
        }
        return rows;
    }

    // ---------------------------------------------------------------------------------------
    // emit

    private static void emit(String version, Path out, Path a, Path b) throws IOException {
        Map<String, Row> rowsA = readDump(a);
        Map<String, Row> rowsB = readDump(b);
        if (!rowsA.keySet().equals(rowsB.keySet())) {
            Set<String> diff = new TreeSet<>(rowsA.keySet());
            diff.removeAll(rowsB.keySet());
            Set<String> diff2 = new TreeSet<>(rowsB.keySet());
            diff2.removeAll(rowsA.keySet());
            throw new IllegalStateException("the two dumps hold different keys: " + diff + " / " + diff2);
        }
        // Sort by key in byte (UTF-8) order; for the ASCII keys Spark uses this is String order.
        TreeMap<byte[], Row> sorted = new TreeMap<>(java.util.Arrays::compareUnsigned);
        for (Row r : rowsA.values()) sorted.put(r.key.getBytes(StandardCharsets.UTF_8), r);

        Map<String, Integer> typeCounts = new TreeMap<>();
        List<String> unknown = new ArrayList<>();
        List<String> computed = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (Row r : sorted.values()) {
            Row other = rowsB.get(r.key);
            String type = r.type.equals(other.type) ? r.type : "Unknown";
            // The default: N (none), V<value>, F<key it falls back to>, C (computed).
            String dflt;
            switch (r.defaultKind) {
                case "None": dflt = "N"; break;
                case "Fallback": dflt = "F" + r.defaultText; break;
                case "Value":
                    dflt = other.defaultKind.equals("Value") && other.defaultText.equals(r.defaultText)
                        ? "V" + r.defaultText
                        : "C";
                    break;
                default: dflt = "C";
            }
            if (dflt.equals("C")) computed.add(r.key + " (" + r.entryClass + ")");
            if (type.equals("Unknown")) unknown.add(r.key);
            typeCounts.merge(type, 1, Integer::sum);
            String record = String.join("\u001f",
                r.key,
                type.replace("Bytes(ByteUnit::", "Bytes:").replace("Time(TimeUnit::", "Time:").replace(")", ""),
                dflt,
                r.since,
                r.internal ? "1" : "0",
                String.join("\u001d", r.alternatives),
                r.doc) + "\u001e";
            body.append("    ").append(rust(record)).append(",\n");
        }

        String text = "//! Every conf entry Spark " + version + " declares (`ConfigEntry.knownConfigs` after its config objects\n"
            + "//! are loaded), read from its jars by `scripts/gen-conf-entries.sh --spark-version " + version + "`.\n"
            + "//! Generated: do not edit.\n"
            + "// entries: " + sorted.size() + "\n"
            + "\n"
            + "/// The entries, sorted by key, as text (read by `super::parse_table`): one record per\n"
            + "/// entry, ended by U+001E; its fields, separated by U+001F: key, value type, default,\n"
            + "/// since, internal, deprecated alternatives (separated by U+001D), doc. One string, so\n"
            + "/// that the tables cost the program nothing at start (no relocations).\n"
            + "pub(crate) const TABLE: &str = concat!(\n"
            + body
            + ");\n";
        Files.write(out, text.getBytes(StandardCharsets.UTF_8));

        System.err.println("entries: " + sorted.size());
        StringBuilder counts = new StringBuilder("value types:");
        for (Map.Entry<String, Integer> e : typeCounts.entrySet()) {
            counts.append(' ').append(e.getKey()).append('=').append(e.getValue());
        }
        System.err.println(counts);
        System.err.println("Unknown type (" + unknown.size() + "): " + String.join(" ", unknown));
        System.err.println("Computed default (" + computed.size() + "): " + String.join(" ", computed));
    }

    /** A Rust string literal: quotes, backslashes and control characters escaped; other text kept. */
    private static String rust(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (cp < 0x20 || cp == 0x7f || Character.getType(cp) == Character.FORMAT
                            || Character.getType(cp) == Character.UNASSIGNED
                            || Character.getType(cp) == Character.SURROGATE) {
                        sb.append(String.format("\\u{%x}", cp));
                    } else {
                        sb.appendCodePoint(cp);
                    }
            }
        });
        return sb.append('"').toString();
    }
}
