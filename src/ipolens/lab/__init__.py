"""Strategy lab: test IPO trading rules on a ragged universe of listings with fused numba kernels.

    from ipolens.app.lab import load_universe
    from ipolens.app.store import open_store
    from ipolens.lab import Strategy, Entry, Exit, simulate
    u = load_universe(open_store(), "HK", 2019, 2022)
    simulate(u, Strategy(Entry("offer"), Exit(80, stop_loss=0.15))).stats

The lab takes frames and arrays, never a ledger: ``ipolens.app.lab`` reads the ledger and builds the universe with
``from_frames``.

Names load on first use, so ``import ipolens.lab`` does not import pandas or numba. See docs/lab.md.
"""
from __future__ import annotations

import importlib

__all__ = ["Universe", "from_frames", "from_arrays", "Entry", "Exit", "Filter", "LockUp", "Sizing", "Strategy",
           "simulate", "parse_filters", "Book", "Sleeve", "run_book", "run_grid", "load_spec", "write_report",
           "metrics", "fees"]

_WHERE = {
    "Universe": "universe", "from_frames": "universe", "from_arrays": "universe",
    "Entry": "rules", "Exit": "rules", "Filter": "rules", "LockUp": "rules", "Sizing": "rules",
    "Strategy": "rules", "simulate": "rules", "parse_filters": "rules",
    "Book": "book", "Sleeve": "book", "run_book": "book", "run_grid": "grid", "load_spec": "spec",
    "write_report": "tearsheet",
}


def __getattr__(name: str):
    if name in ("metrics", "fees"):
        return importlib.import_module(f"{__name__}.{name}")
    if name in _WHERE:
        return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'ipolens.lab' has no attribute {name!r}")
