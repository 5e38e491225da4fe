"""`ipolens --help` must not pay for pandas, numba, duckdb or fastapi (speed is measured in benchmarks/)."""
import subprocess
import sys

PROBE = """
import contextlib
import sys
from ipolens.cli import app
with contextlib.suppress(SystemExit):  # --help ends by exiting; the modules it loaded are what is measured
    app(["--help"])
heavy = sorted(m for m in ("pandas", "numpy", "numba", "duckdb", "fastapi", "plotly", "opencc", "exchange_calendars")
               if m in sys.modules)
print("HEAVY=" + ",".join(heavy))
"""


def test_help_imports_nothing_heavy():
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True).stdout
    assert "HEAVY=\n" in out, out
    assert "ipo" in out and "import" in out


def test_every_group_help_is_light():
    probe = PROBE.replace('app(["--help"])', 'app([sys.argv[1], "--help"])')
    for group in ("ipo", "ipos", "facts", "conflicts", "import"):
        out = subprocess.run([sys.executable, "-c", probe, group], capture_output=True, text=True).stdout
        assert "HEAVY=\n" in out, (group, out)
