//! The application being submitted: its main resource, main class, arguments and proxy user
//! (Spark's `MainAppResource` and `ClientArguments`).

/// The main resource and the kind of application it makes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MainAppResource {
    /// A JVM application; the jar, if any (`JavaMainAppResource`).
    Java(Option<String>),
    /// A Python application: the `.py` file (`PythonMainAppResource`).
    Python(String),
    /// An R application: the `.R` file (`RMainAppResource`).
    R(String),
}

impl MainAppResource {
    /// Classifies a primary resource the way spark-submit does (`.py` → Python, `.R` → R).
    pub fn from_primary_resource(resource: &str) -> Self {
        if resource.ends_with(".py") {
            MainAppResource::Python(resource.to_owned())
        } else if resource.ends_with(".R") || resource.ends_with(".r") {
            MainAppResource::R(resource.to_owned())
        } else {
            MainAppResource::Java(Some(resource.to_owned()))
        }
    }

    /// Whether this is a Python or R application (Spark's `NonJVMResource`), which changes the
    /// default memory overhead factor.
    pub fn is_non_jvm(&self) -> bool {
        !matches!(self, MainAppResource::Java(_))
    }

    /// The value of `spark.kubernetes.resource.type`.
    pub fn resource_type(&self) -> &'static str {
        match self {
            MainAppResource::Java(_) => "java",
            MainAppResource::Python(_) => "python",
            MainAppResource::R(_) => "r",
        }
    }
}

/// What the driver runs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Application {
    /// The main resource.
    pub resource: MainAppResource,
    /// The main class (`PythonRunner` / `RRunner` for Python and R apps).
    pub main_class: String,
    /// The application's own arguments.
    pub args: Vec<String>,
    /// `--proxy-user`, passed on to the driver.
    pub proxy_user: Option<String>,
}
