"""The dashboard's static files against the message catalogue: every label key the pages use exists in all three
languages, the pages load only local scripts, and each script stays small. (The browser run, with screenshots and
the untranslated-label check on the rendered pages, is in test_browser_dashboard.py.)"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import ipolens.i18n as i18n

STATIC = Path(__file__).resolve().parents[1] / "src" / "ipolens" / "web" / "static"
SCRIPTS = sorted(p for p in STATIC.rglob("*.js") if p.name not in ("plotly.min.js", "swagger-ui-bundle.js"))
MESSAGES = yaml.safe_load(Path(i18n.__file__).with_name("messages.yaml").read_text(encoding="utf-8"))


def _html() -> str:
    return (STATIC / "index.html").read_text(encoding="utf-8")


def _keys_used() -> set[str]:
    """Literal keys: data-i18n* attributes in index.html and T("key") calls in the scripts. Keys built at run time
    (T("market." + m), fee and mechanics rows) are listed in DYNAMIC below from the values the pages pass."""
    keys = set(re.findall(r'data-i18n(?:-placeholder|-title)?="([^"]+)"', _html()))
    for js in SCRIPTS:
        keys |= set(re.findall(r'\bT\("([A-Za-z0-9_.]+)"[,)]', js.read_text(encoding="utf-8")))
    return keys


# the run-time keys: values the pages put after a prefix (detail.js: bar_*, fee_*, mech_*; ipos.js: market.*)
DYNAMIC = ([f"dash.bar_{k}" for k in ("offer", "open", "close")]
           + [f"dash.fee_{k}" for k in ("principal", "brokerage", "sfc_levy", "hkex_trading_fee", "afrc_levy")]
           + [f"dash.mech_{k}" for k in ("regime", "offer_shares", "initial_public", "final_public", "subscription",
                                         "applicants", "pool_lots")]
           + [f"market.{m}" for m in ("HK", "STAR", "NASDAQ")] + [f"currency.{c}" for c in ("HKD", "CNY", "USD")])


def test_every_label_key_exists_in_every_language():
    used = _keys_used() | set(DYNAMIC)
    assert len(used) > 80  # the pages really draw their labels from the catalogue
    missing = sorted(k for k in used if k not in MESSAGES)
    assert not missing, missing
    gaps = sorted(f"{k} ({lang})" for k in used for lang in i18n.LANGS if not (MESSAGES[k].get(lang) or "").strip())
    assert not gaps, gaps


def test_dynamic_prefixes_are_the_ones_the_scripts_build():
    # guards DYNAMIC: each prefix it assumes is concatenated in some script, so a renamed prefix fails here
    text = "\n".join(js.read_text(encoding="utf-8") for js in SCRIPTS)
    for prefix in ("dash.bar_", "dash.fee_", "dash.mech_", "market.", "currency."):
        assert f'T("{prefix}" +' in text, prefix


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant"])
def test_dashboard_labels_are_translated(lang):
    # a dashboard label whose Chinese is its English text (letters and all) is an untranslated label
    same = sorted(k for k, e in MESSAGES.items() if k.startswith("dash.") and re.search(r"[A-Za-z]{3}", e["en"])
                  and e[lang] == e["en"])
    assert not same, same


def test_placeholders_match_across_languages():
    bad = []
    for k, e in MESSAGES.items():
        if not k.startswith("dash."):
            continue
        want = sorted(re.findall(r"\{[a-z_]+\}", e["en"]))
        bad += [f"{k} ({lang})" for lang in i18n.LANGS if sorted(re.findall(r"\{[a-z_]+\}", e[lang])) != want]
    assert not bad, bad


def test_pages_load_local_scripts_only_and_scripts_stay_small():
    html = _html()
    srcs = re.findall(r'<script src="([^"]+)"', html)
    assert srcs and all(s.startswith("/static/") for s in srcs), srcs
    for s in srcs:
        assert (STATIC / s.removeprefix("/static/")).is_file(), s
    assert {"/static/" + p.relative_to(STATIC).as_posix() for p in SCRIPTS} <= set(srcs)
    big = [p.name for p in SCRIPTS if len(p.read_text(encoding="utf-8").splitlines()) > 400]
    assert not big, big
    # the search box is an input with placeholder text, labelled from the catalogue
    assert re.search(r'<input id="filter-q"[^>]*placeholder="[^"]+"[^>]*data-i18n-placeholder=', html)


def test_served_catalogue_matches_the_file(store):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from ipolens.web import create_app

    with TestClient(create_app(store=store)) as c:
        for lang in i18n.LANGS:
            body = c.get(f"/api/i18n/{lang}").json()
            want = {k: (e.get(lang) or e.get("en")) for k, e in MESSAGES.items()}
            assert body["messages"] == want
            assert set(body["colors"]) == {"cn", "us"} and body["colors"]["cn"]["up"] == body["colors"]["us"]["down"]
        assert c.get("/static/core.js").status_code == 200 and c.get("/static/pages/detail.js").status_code == 200
