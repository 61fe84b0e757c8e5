//! apache/spark-kubernetes-operator (`spark.apache.org/v1`): how the operator turns a
//! `SparkApplication` into the Spark conf its bundled Spark builds the driver from, and what it
//! adds around it.
