#!/usr/bin/env python3
"""Runs a command and writes its peak resident memory (bytes) and wall time to a JSON file.

    peak.py OUT.json COMMAND [ARGS...]
"""
import json
import resource
import subprocess
import sys
import time

t0 = time.perf_counter()
rc = subprocess.call(sys.argv[2:])
seconds = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # Linux: kilobytes
with open(sys.argv[1], "w", encoding="utf-8") as f:
    json.dump({"peak_bytes": peak, "seconds": seconds, "returncode": rc}, f)
sys.exit(rc)
