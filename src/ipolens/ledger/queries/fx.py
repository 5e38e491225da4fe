"""FX rows for ``analytics.fx.FxTable``."""
from __future__ import annotations

import pandas as pd

from ..store import Ledger

__all__ = ["fx_rates"]


def fx_rates(led: Ledger) -> pd.DataFrame:
    """Every dated rate: date, base, quote, rate, source_id, note."""
    return led.query("SELECT date, base, quote, rate, source_id, note FROM fx_rates ORDER BY base, quote, date")
