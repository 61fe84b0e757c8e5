//! Conf keys are spelt in one place, `engine/src/config/keys.rs` (and the generated tables of
//! what each Spark release declares): a key typed anywhere else is a key that can drift.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a source directory") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `"spark.…"` string literals in the code of `source` (comments and the test module at the
/// end of the file left out), as `line: literal`.
fn key_literals(source: &str) -> Vec<String> {
    let code = source
        .split("#[cfg(test)]\nmod tests")
        .next()
        .unwrap_or_default();
    let mut found = Vec::new();
    for (n, line) in code.lines().enumerate() {
        if line.trim_start().starts_with("//") {
            continue;
        }
        for literal in line.split('"').skip(1).step_by(2) {
            // The file name of the driver's properties is not a key, nor are the Apache Spark
            // operator's API group (`spark.apache.org/v1`) and label keys (`spark.operator/`).
            let not_a_key = literal == "spark.properties"
                || literal.starts_with("spark.apache.org/")
                || literal.starts_with("spark.operator/");
            if literal.starts_with("spark.") && !not_a_key {
                found.push(format!("{}: \"{literal}\"", n + 1));
            }
        }
    }
    found
}

#[test]
fn no_conf_key_literal_outside_the_registry() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let registry = [root.join("engine/src/config/keys.rs")];
    let generated = root.join("engine/src/config/entries");
    let mut files = Vec::new();
    rust_files(&root.join("engine/src"), &mut files);
    rust_files(&root.join("cli/src"), &mut files);
    files.sort();
    let mut strays = Vec::new();
    for file in files {
        if registry.contains(&file) || file.starts_with(&generated) {
            continue;
        }
        let source = std::fs::read_to_string(&file).expect("a readable source file");
        for hit in key_literals(&source) {
            strays.push(format!("{}:{hit}", file.display()));
        }
    }
    assert!(
        strays.is_empty(),
        "conf keys spelt outside engine/src/config/keys.rs:\n{}",
        strays.join("\n")
    );
}

#[test]
fn the_scan_finds_literals_in_code_only() {
    let source = "fn a() { conf.get(\"spark.app.name\"); }\n// \"spark.in.comment\"\n\
                  #[cfg(test)]\nmod tests { \"spark.in.test\" }\n";
    assert_eq!(key_literals(source), ["1: \"spark.app.name\""]);
}
