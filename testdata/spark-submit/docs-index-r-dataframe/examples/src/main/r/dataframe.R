# stand-in for Spark's examples/src/main/r/dataframe.R
