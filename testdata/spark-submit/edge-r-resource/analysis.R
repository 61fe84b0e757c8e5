# stand-in R script
