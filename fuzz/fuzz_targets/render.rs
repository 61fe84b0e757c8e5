//! A whole render from any input. The input is
//!
//! ```text
//! FLAGS PROPERTIES [\0 DRIVER-TEMPLATE [\0 EXECUTOR-TEMPLATE [\0 OTHER-FILE]]]
//! ```
//!
//! `FLAGS` is one byte choosing the submission's command-line side (see [`Flags`]);
//! `PROPERTIES` is the `--properties-file` text. The files the conf names (the keys of
//! `conf::keys::FILE_KEYS`) are given the contents that follow: the driver pod template, the
//! executor pod template (the driver one when absent), and for krb5.conf, keytabs and
//! credential files the last part (a fixed text when absent).
//!
//! On success the objects must print as YAML and as a JSON `List`, every object must have a
//! name, and the YAML must read back as the same objects.

#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use spark_render_engine::conf::properties;
use spark_render_engine::config::keys;
use spark_render_engine::{manifest, render_all, RenderRequest, SubmitArgs};

/// The submission's command-line side, from the first input byte.
struct Flags(u8);

impl Flags {
    fn explain(&self) -> bool {
        self.0 & 0x01 != 0
    }
    fn strict(&self) -> bool {
        self.0 & 0x02 != 0
    }
    /// The primary resource, and whether it needs `--class`.
    fn resource(&self) -> (&'static str, bool) {
        match (self.0 >> 2) & 0x03 {
            0 => ("local:///opt/spark/examples/jars/spark-examples.jar", true),
            1 => ("local:///opt/app/main.py", false),
            2 => ("local:///opt/app/main.R", false),
            _ => ("/tmp/app.jar", true),
        }
    }
    fn client_mode(&self) -> bool {
        self.0 & 0x10 != 0
    }
    fn executor_ids(&self) -> Vec<u32> {
        if self.0 & 0x20 != 0 {
            vec![1, 2, 17]
        } else {
            vec![1]
        }
    }
    fn app_args(&self) -> Vec<String> {
        if self.0 & 0x40 != 0 {
            vec!["100".into(), "--flag=a b".into()]
        } else {
            Vec::new()
        }
    }
    fn no_driver_uid(&self) -> bool {
        self.0 & 0x80 != 0
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let flags = Flags(flags);
    let mut parts = rest.splitn(4, |&b| b == 0);
    let Ok(text) = std::str::from_utf8(parts.next().unwrap_or_default()) else {
        return;
    };
    let driver_template = parts.next();
    let executor_template = parts.next().or(driver_template);
    let other_file = parts.next().unwrap_or(b"[libdefaults]\n  default_realm = EXAMPLE.COM\n");
    let Ok(entries) = properties::parse(text, "spark.properties") else {
        return;
    };

    let (resource, needs_class) = flags.resource();
    let mut submit = SubmitArgs::new(resource);
    if needs_class {
        submit.main_class = Some("org.apache.spark.examples.SparkPi".into());
    }
    if flags.client_mode() {
        submit.deploy_mode = Some("client".into());
    }
    submit.app_args = flags.app_args();
    submit.properties_file = entries;
    let mut request = RenderRequest::new(submit);
    request.explain = flags.explain();
    request.strict = flags.strict();
    request.executor_ids = flags.executor_ids();
    if flags.no_driver_uid() {
        request.inputs.driver_uid = None;
    }
    for key in keys::FILE_KEYS {
        // A repeated key keeps its last value.
        let Some(path) = request
            .submit
            .properties_file
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
        else {
            continue;
        };
        let contents = match *key {
            keys::DRIVER_POD_TEMPLATE_FILE => driver_template,
            keys::EXECUTOR_POD_TEMPLATE_FILE => executor_template,
            _ => Some(other_file),
        };
        if let Some(contents) = contents {
            request.inputs.files.entry(path).or_insert_with(|| contents.to_vec());
        }
    }

    let Ok(rendered) = render_all(&request) else {
        return;
    };
    let objects = rendered.objects();
    for object in &objects {
        assert!(
            !object.name().is_empty(),
            "a {} without a name: {:?}",
            object.kind(),
            object.metadata()
        );
    }
    let yaml = match manifest::to_yaml(&objects) {
        Ok(yaml) => yaml,
        Err(e) => panic!("to_yaml failed: {e}"),
    };
    let json = match manifest::to_json_list(&objects) {
        Ok(json) => json,
        Err(e) => panic!("to_json_list failed: {e}"),
    };
    let list: Value = serde_json::from_str(&json).expect("to_json_list writes JSON");
    let items = list["items"].as_array().expect("a List has items");
    assert_eq!(items.len(), objects.len());
    let docs: Vec<Value> = match serde_saphyr::from_multiple(&yaml) {
        Ok(docs) => docs,
        Err(e) => panic!("to_yaml output does not read back: {e}\n{yaml}"),
    };
    let docs: Vec<&Value> = docs.iter().filter(|d| !d.is_null()).collect();
    assert_eq!(docs.len(), items.len(), "YAML documents vs objects\n{yaml}");
    for (doc, item) in docs.iter().zip(items) {
        assert_eq!(*doc, item, "to_yaml output reads back differently\n{yaml}");
    }
});
