//! The keys the operator sets: its conf keys (spelt in the registry, `crate::config::keys`)
//! and its label keys.

pub use crate::config::keys::{
    DRIVER_ANNOTATE_EXIT_EXCEPTION, IO_ENCRYPTION_ENABLED, MASTER_URL_PREFIX,
};
/// The operator's label naming itself (`Constants.LABEL_SPARK_OPERATOR_NAME`): a label key,
/// not a conf key.
pub const LABEL_OPERATOR_NAME: &str = "spark.operator/name";
/// The operator's label naming the application (`Constants.LABEL_SPARK_APPLICATION_NAME`).
pub const LABEL_APPLICATION_NAME: &str = "spark.operator/spark-app-name";
