"""Property-based API tests from the OpenAPI schema (schemathesis), GET operations, in process.

`positive_data_acceptance` is left out: a few schema-valid requests are refused by business rules on purpose
(an HK tranche outside its regime's range, an IPO with no subscription multiple on file) and answer 400.
"""
from __future__ import annotations

import os

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="pip install schemathesis")
if os.environ.get("CI") == "true":
    assert schemathesis  # CI installs it; an import failure above would have been a skip, so check here too

from hypothesis import HealthCheck, settings  # noqa: E402

from ipolens.web import create_app  # noqa: E402

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(db_path=":memory:"))


@schema.include(method="GET").parametrize()
@settings(max_examples=int(os.environ.get("IPOLENS_ST_EXAMPLES", "25")), deadline=None,
          suppress_health_check=list(HealthCheck))
def test_get_operations(case):
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    case.call_and_validate(excluded_checks=[positive_data_acceptance])
