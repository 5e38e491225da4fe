"""The web server cannot be frozen or abused by one request: long work runs off the event loop within a time
limit, cross-origin and non-JSON writes are refused, bodies are capped, bad bytes and deep JSON get a 4xx."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from ipolens.web import create_app  # noqa: E402

JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from ipolens.app.store import open_store

    with TestClient(create_app(store=open_store(":memory:"), time_limit=20)) as c:
        yield c


def test_cross_origin_simple_post_is_refused(client):
    # what a page elsewhere can send without a CORS preflight
    r = client.post("/api/news/check", content="招股价19.6港元".encode(),
                    headers={"Content-Type": "text/plain", "Origin": "https://evil.example"})
    assert r.status_code == 403
    r = client.post("/api/news/check", content=json.dumps({"text": "x"}),
                    headers={**JSON, "Origin": "https://evil.example"})
    assert r.status_code == 403


def test_same_origin_needs_json(client):
    r = client.post("/api/news/check", content="招股价19.6港元".encode(), headers={"Content-Type": "text/plain"})
    assert r.status_code == 415
    r = client.post("/api/news/check", content=json.dumps({"text": "壁仞科技招股价19.6港元。"}),
                    headers={**JSON, "Origin": "http://testserver"})
    assert r.status_code == 200, r.text


def test_undecodable_bytes_and_deep_json_get_4xx(client):
    r = client.post("/api/news/check", content=b'{"text": "\xff\xfe\xfa"}', headers=JSON)
    assert 400 <= r.status_code < 500
    deep = "[" * 100_000 + "]" * 100_000
    for path in ("/api/news/check", "/api/compare/batch"):
        r = client.post(path, content=deep, headers=JSON)
        assert 400 <= r.status_code < 500, (path, r.status_code)
    r = client.post("/api/compare/batch", content=b"{not json", headers=JSON)
    assert 400 <= r.status_code < 500


def test_bodies_are_capped(client):
    big = json.dumps({"codes": ["6082.HK"] * 10, "pad": "x" * 5_000_000})
    r = client.post("/api/compare/batch", content=big, headers=JSON)
    assert r.status_code == 413
    r = client.post("/api/news/check", content=json.dumps({"text": "港" * 1_000_000}), headers=JSON)
    assert r.status_code == 413  # 3 MB of UTF-8


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_a_long_request_does_not_block_healthz(tmp_path):
    port = _free_port()
    env = {**os.environ, "IPOLENS_HOME": str(tmp_path), "IPOLENS_WEB_TIME_LIMIT": "8"}
    proc = subprocess.Popen([str(Path(sys.executable).parent / "ipolens"), "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).read()  # noqa: S310 - loopback
                break
            except OSError:
                time.sleep(0.2)
        para = ("摩尔线程发行价114.28元，上市首日收报600.50元，涨幅425.46%，市值2823亿元。"
                "Biren priced its offer at HK$19.60 and closed at HK$35.70 on 2 January. ")
        article = (para * (1_000_000 // len(para.encode()) + 1)).encode()[:1_000_000].decode(errors="ignore")
        body = json.dumps({"text": article}, ensure_ascii=False).encode()
        assert len(body) > 900_000
        status: dict = {}

        def post():
            req = urllib.request.Request(base + "/api/news/check", data=body, headers=JSON, method="POST")
            try:
                status["code"] = urllib.request.urlopen(req, timeout=120).status  # noqa: S310
            except urllib.error.HTTPError as exc:
                status["code"] = exc.code

        t = threading.Thread(target=post)
        t.start()
        time.sleep(1.0)  # the article is being read
        waits = []
        for _ in range(5):
            t0 = time.monotonic()
            urllib.request.urlopen(base + "/healthz", timeout=5).read()  # noqa: S310
            waits.append(time.monotonic() - t0)
            time.sleep(0.2)
        t.join(120)
        assert max(waits) < 1.0, waits
        assert status["code"] in (200, 503), status  # done, or stopped at the time limit: never a 500
    finally:
        proc.terminate()
        proc.wait(10)
