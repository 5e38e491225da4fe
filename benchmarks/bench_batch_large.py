"""Issue 15 acceptance: a news batch over a folder with an undecodable file, an empty file and one large text file
completes, lists the two bad files with their reasons, and reads the large one in bounded memory.

    python benchmarks/bench_batch_large.py                 # large files of 5 and 50 MB
    python benchmarks/bench_batch_large.py --sizes 1,5     # other sizes (MB)

For each size, a temporary folder gets ``bad.txt`` (bytes no supported encoding reads), ``empty.txt`` (blanks) and
``large.txt``: paragraphs of sentences generated from the templates below (written for this benchmark, Chinese and
English IPO vocabulary, every figure drawn at random; no article text is used). Then
``python -m ipolens.cli news batch FOLDER --out OUT --engine local --json`` runs in a child process, and its peak RSS is
read from ``os.wait4`` (that child's own rusage: ``RUSAGE_CHILDREN`` would give the largest of all the children so
far). A first run on the two bad files alone gives the baseline (imports, the ledger). The ledger is built once in a
temporary IPOLENS_HOME before timing. Prints per size the time, peak RSS, the rows of errors.jsonl and the claims,
and ends with ``batch_large_peak_ratio=`` (peak at the largest size / peak at the smallest; bounded memory: near 1)
and ``batch_large_peak_over_baseline_mb=`` (the largest size's peak above the baseline's).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
COMPANIES = [("壁仞科技", "Biren Technology", "06082.HK"), ("智谱", "Knowledge Atlas", "02513.HK"),
             ("天数智芯", "Iluvatar CoreX", "09903.HK"), ("稀宇科技", "MiniMax", "00100.HK")]
ZH = ["{zh}({code})计划于{m}月{d}日在港交所主板上市，招股价定为每股{offer}港元，每手{lot}股。",
      "公司拟发行{shares}亿股H股，集资约{raise_}亿港元，其中{pub}%为公开发售部分。",
      "公开发售部分获超额认购{over}倍，一手中签率为{rate}%，共有{apps}名投资者申购。",
      "首日开盘报{open_}港元，收市报{close}港元，较招股价上升{ret}%，成交额约{turn}亿港元。",
      "按招股价计算，公司上市时市值约为{cap}亿港元，基石投资者合共认购约{corner}亿港元。",
      "截至{fy}年底，公司收入为人民币{rev}亿元，经调整亏损为人民币{loss}亿元。"]
EN = ["{en} ({code}) priced its Hong Kong IPO at HK${offer} per share, raising about HK${raise_} billion.",
      "The retail tranche was {over} times oversubscribed and the one-lot success rate was {rate}%.",
      "Shares of {en} closed at HK${close} on their debut, {ret}% above the offer price.",
      "At the offer price the company was valued at HK${cap} billion; cornerstone investors took "
      "HK${corner} billion.",
      "Revenue for {fy} reached RMB{rev} billion while the adjusted net loss was RMB{loss} billion."]

# sentences without figures, as between the figures of real coverage (market colour, process, risks)
PLAIN_ZH = ["市场人士认为，近期港股新股市场气氛回暖，投资者对科技类新股的兴趣明显增加。",
            "保荐人表示，公司将把所得款项主要用于研发、扩充产能及补充营运资金。",
            "有分析师提醒，新股上市初期股价波动较大，散户投资者应留意相关风险。",
            "公司管理层在记者会上表示，对未来业务发展前景充满信心。"]
PLAIN_EN = ["Bankers said demand from long-only funds was strong throughout the bookbuilding.",
            "The company plans to spend most of the proceeds on research and on expanding its production lines.",
            "Analysts cautioned that newly listed technology shares tend to be volatile in their first weeks.",
            "The listing is one of the largest in Hong Kong this year, according to exchange data."]


def sentence(rng: random.Random) -> str:
    if rng.random() < 0.6:  # most sentences carry no figure
        return rng.choice(PLAIN_ZH if rng.random() < 0.6 else PLAIN_EN)
    zh, en, code = rng.choice(COMPANIES)
    offer = rng.uniform(5, 200)
    close = offer * rng.uniform(0.7, 2.5)
    f = {"zh": zh, "en": en, "code": code, "m": rng.randint(1, 12), "d": rng.randint(1, 28),
         "offer": f"{offer:.2f}", "lot": rng.choice([50, 100, 200, 500, 1000]), "shares": f"{rng.uniform(0.5, 9):.2f}",
         "raise_": f"{rng.uniform(5, 120):.1f}", "pub": rng.choice([5, 10, 15]), "over": f"{rng.uniform(1, 5000):.2f}",
         "rate": f"{rng.uniform(0.5, 100):.1f}", "apps": f"{rng.randint(1000, 500000):,}",
         "open_": f"{offer * rng.uniform(0.8, 2.0):.2f}", "close": f"{close:.2f}",
         "ret": f"{(close / offer - 1) * 100:.1f}", "turn": f"{rng.uniform(1, 90):.2f}",
         "cap": f"{rng.uniform(50, 3000):.1f}", "corner": f"{rng.uniform(1, 60):.1f}", "fy": rng.randint(2021, 2025),
         "rev": f"{rng.uniform(0.1, 80):.2f}", "loss": f"{rng.uniform(0.1, 30):.2f}"}
    return rng.choice(ZH if rng.random() < 0.6 else EN).format(**f)


def large_file(path: Path, megabytes: float, seed: int) -> int:
    """Paragraphs of 4-8 generated sentences until the file holds ``megabytes`` MB; returns its size."""
    rng, target, size = random.Random(seed), int(megabytes * 2**20), 0
    with open(path, "w", encoding="utf-8") as fh:
        while size < target:
            para = "".join(sentence(rng) + ("" if rng.random() < 0.6 else " ") for _ in range(rng.randint(4, 8)))
            data = para + "\n\n"
            fh.write(data)
            size += len(data.encode("utf-8"))
    return path.stat().st_size


def folder(root: Path, megabytes: float) -> Path:
    d = root / f"in-{megabytes:g}mb"
    d.mkdir()
    (d / "bad.txt").write_bytes(bytes(range(128, 256)) * 20)  # no supported encoding reads it as text
    (d / "empty.txt").write_bytes(b"  \n\n")
    if megabytes:
        large_file(d / "large.txt", megabytes, seed=15)
    return d


def run_batch(src: Path, out: Path, env: dict) -> tuple[float, int, dict]:
    """(seconds, peak RSS in bytes, the --json result) of one child process."""
    cmd = [sys.executable, "-m", "ipolens.cli", "news", "batch", str(src), "--out", str(out), "--engine", "local",
           "--published", "2026-01-06", "--json"]
    t = time.perf_counter()
    with tempfile.TemporaryFile() as so, tempfile.TemporaryFile() as se:
        p = subprocess.Popen(cmd, stdout=so, stderr=se, env=env)
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        secs = time.perf_counter() - t
        so.seek(0), se.seek(0)
        stdout, stderr = so.read().decode("utf-8", "replace"), se.read().decode("utf-8", "replace")
    if p.returncode != 0:
        raise SystemExit(f"news batch failed (exit {p.returncode}):\n{stderr[-3000:]}")
    return secs, usage.ru_maxrss * 1024, json.loads(stdout)  # ru_maxrss is in KB on Linux


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="5,50", help="sizes of the large file, MB")
    args = ap.parse_args()
    sizes = [float(x) for x in args.sizes.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="ipolens-bench-batch-large-"))
    env = {**os.environ, "IPOLENS_HOME": str(tmp / "home"),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))}
    peaks = {}
    try:
        subprocess.run([sys.executable, "-m", "ipolens.cli", "stats", "--json"], env=env, check=True,
                       stdout=subprocess.DEVNULL)  # builds the ledger file once
        for mb in [0.0, *sizes]:
            src = folder(tmp, mb)
            large = src / "large.txt"
            secs, peak, res = run_batch(src, tmp / f"out-{mb:g}mb", env)
            out = Path(res["out"])
            errors = [json.loads(x) for x in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
            named = sorted((Path(e["article"]).name, e["reason"]) for e in errors)
            ok = [n for n, _ in named] == ["bad.txt", "empty.txt"]
            label = f"{mb:g} MB file ({large.stat().st_size:,} bytes)" if mb else "baseline (the two bad files only)"
            print(f"{label}: {secs:.1f} s, peak RSS {peak / 2**20:.1f} MB, claims {res['claims']:,}, "
                  f"errors.jsonl {len(errors)} row(s){'' if ok else ' -- NOT the two bad files'}")
            for name, reason in named:
                print(f"    {name}: {reason[:150]}")
            if not ok:
                raise SystemExit("errors.jsonl does not list exactly bad.txt and empty.txt")
            peaks[mb] = peak
            shutil.rmtree(src), shutil.rmtree(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"load average (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    print(f"batch_large_peak_ratio={peaks[max(sizes)] / peaks[min(sizes)]:.2f}")
    print(f"batch_large_peak_over_baseline_mb={(peaks[max(sizes)] - peaks[0.0]) / 2**20:.1f}")


if __name__ == "__main__":
    main()
