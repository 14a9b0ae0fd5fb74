"""Run every benchmark script of this folder in turn: python benchmarks/run_all.py"""

import pathlib
import subprocess
import sys

here = pathlib.Path(__file__).resolve().parent
rc = 0
for script in sorted(here.glob("bench_*.py")):
    print(f"== {script.name}", flush=True)
    rc |= subprocess.call([sys.executable, str(script)])
sys.exit(rc)
