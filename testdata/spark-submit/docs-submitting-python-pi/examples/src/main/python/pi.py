# stand-in for Spark's examples/src/main/python/pi.py
