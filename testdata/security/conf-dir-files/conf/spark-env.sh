#!/usr/bin/env bash
export SPARK_WORKER_CORES=2
