# stand-in for the doc's test.py
