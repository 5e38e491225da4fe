"""Every ``ipolens …`` command in a code block of README.md runs as written, offline, on a copy of the embedded
ledger; and the sample articles of examples/news give the findings examples/README.md states.

Each command runs in-process (typer's CliRunner) in a temporary working directory holding a copy of ``examples/``,
so the files a command writes (brief.html, lake/, news-out/) land there, and with ``IPOLENS_HOME`` pointing at its
own copy of a ledger built once from the embedded dataset. ``fetch`` commands need the network: offline they must
fail fast with exit status 3 ("no network"); the probe is pointed at a closed loopback port so the test never
touches the network. Commands that cannot run in a test are listed in ``NOT_RUN`` with the reason.
"""
from __future__ import annotations

import re
import shlex
import shutil
import socket
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"

# Command prefixes that are never run here, with the reason.
NOT_RUN = {
    ("serve",): "starts a web server that runs until stopped (tests/test_web_*.py cover the dashboard and the API)",
}
# Exit status expected offline (everything else: 0).
NO_NETWORK_EXIT = 3
NEEDS_NETWORK = ("fetch",)
# Commands taking over a second each on the 2-core dev machine (the whole file runs in about 30 s).
SLOW = (("lab",), ("report",), ("news", "batch"))

_FENCE = re.compile(r"^```(\w*)\s*$")
_ENV = re.compile(r"^[A-Z_][A-Z0-9_]*=")


def readme_commands(text: str) -> list[str]:
    """The lines of fenced code blocks that run ``ipolens`` (a ``$ `` prompt and ``VAR=value`` prefixes allowed)."""
    commands, in_block = [], False
    for line in text.splitlines():
        if _FENCE.match(line.strip()):
            in_block = not in_block
            continue
        if not in_block:
            continue
        line = line.strip().removeprefix("$ ").strip()
        words = line.split()
        while words and _ENV.match(words[0]):
            words = words[1:]
        if words and words[0] == "ipolens":
            commands.append(line)
    return list(dict.fromkeys(commands))  # a command shown twice (output sample and code block) runs once


def split_command(line: str) -> tuple[dict[str, str], list[str]]:
    """(environment, arguments after ``ipolens``); a trailing ``# comment`` is dropped as the shell would."""
    words = shlex.split(line, comments=True)
    env = {}
    while _ENV.match(words[0]):
        key, _, value = words.pop(0).partition("=")
        env[key] = value
    assert words[0] == "ipolens", line
    return env, words[1:]


def _starts(args: list[str], prefix: tuple[str, ...]) -> bool:
    positional = [a for a in args if not a.startswith("-")]
    # a global option's value (``--lang zh-Hans``) is not a command word
    for opt in ("--lang", "--colors"):
        if opt in args:
            i = args.index(opt)
            if i + 1 < len(args) and args[i + 1] in positional:
                positional.remove(args[i + 1])
    return tuple(positional[:len(prefix)]) == prefix


COMMANDS = readme_commands(README.read_text(encoding="utf-8"))


def _params():
    for line in COMMANDS:
        _, args = split_command(line)
        marks = []
        reason = next((why for prefix, why in NOT_RUN.items() if _starts(args, prefix)), None)
        if reason:
            marks.append(pytest.mark.skip(reason=reason))
        elif any(_starts(args, p) for p in SLOW):
            marks.append(pytest.mark.slow)
        yield pytest.param(line, marks=marks, id=line.split("#")[0].strip()[:90])


def test_parser_reads_prompts_env_and_comments():
    text = "x\n```bash\n$ ipolens ipo 6082.HK\nIPOLENS_LANG=zh-Hant ipolens ipos  # note\npip install x\n```\n" \
           "ipolens outside a block\n```python\nimport ipolens\n```\n"
    assert readme_commands(text) == ["ipolens ipo 6082.HK", "IPOLENS_LANG=zh-Hant ipolens ipos  # note"]
    assert split_command("IPOLENS_LANG=zh-Hant ipolens ipos --market HK  # note") == (
        {"IPOLENS_LANG": "zh-Hant"}, ["ipos", "--market", "HK"])
    assert _starts(["--lang", "zh-Hans", "ipo", "6082.HK"], ("ipo",))


def test_readme_has_commands_and_news_examples_use_shipped_files():
    assert len(COMMANDS) >= 30, COMMANDS
    news = [c for c in COMMANDS if _starts(split_command(c)[1], ("news",))]
    assert news, "the README shows no news command"
    for line in news:
        for arg in split_command(line)[1]:
            if arg.endswith(".txt") or "/" in arg and not arg.startswith("-") and arg != "news-out":
                assert arg.startswith("examples/"), f"{line}: {arg} is not a shipped example"
                assert (REPO / arg).exists(), f"{line}: {arg} does not exist"


def test_every_command_is_in_the_readme():
    """Each command and subcommand of the CLI is named in the README (a new one cannot go undocumented)."""
    import click
    import typer.main

    from ipolens.cli import app

    text = README.read_text(encoding="utf-8")
    root = typer.main.get_command(app)
    missing = []
    for name, cmd in root.commands.items():
        if not re.search(rf"ipolens {re.escape(name)}\b", text):
            missing.append(name)
        if isinstance(cmd, click.Group):
            for sub in cmd.commands:
                if not re.search(rf"ipolens {re.escape(name)}\b[^\n]*\b{re.escape(sub)}\b", text):
                    missing.append(f"{name} {sub}")
    assert not missing, f"not in README.md: {missing}"


@pytest.fixture(scope="module")
def template_home(tmp_path_factory):
    """A ledger built once from the embedded dataset; each command gets its own copy."""
    from ipolens.app.store import open_store

    home = tmp_path_factory.mktemp("readme-ledger")
    open_store(home / "ipolens.duckdb")
    return home


@pytest.fixture(scope="module")
def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


@pytest.mark.parametrize("line", list(_params()))
def test_readme_command_runs(line, template_home, closed_port, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from ipolens.cli import app

    env, args = split_command(line)
    home = tmp_path / "home"
    shutil.copytree(template_home, home)
    work = tmp_path / "work"
    work.mkdir()
    shutil.copytree(REPO / "examples", work / "examples")
    monkeypatch.chdir(work)
    monkeypatch.delenv("IPOLENS_LANG", raising=False)
    env = {"IPOLENS_HOME": str(home), "IPOLENS_NETWORK_PROBE": f"127.0.0.1:{closed_port}", "COLUMNS": "120",
           **env}
    try:
        result = CliRunner().invoke(app, args, env=env)
    finally:
        _reset_global_options()
    expected = NO_NETWORK_EXIT if any(_starts(args, (p,)) for p in NEEDS_NETWORK) else 0
    detail = f"{line}\nexit {result.exit_code}\n{result.output[-3000:]}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        detail += "".join(traceback.format_exception(result.exception))
    assert result.exit_code == expected, detail
    if expected == NO_NETWORK_EXIT:
        assert "no network" in result.output, detail


def _reset_global_options() -> None:
    """``--lang`` / ``--colors`` set process-wide state; the next command must start from the defaults."""
    import ipolens.i18n as i18n

    i18n.set_lang(None)
    set_colors = getattr(i18n, "set_colors", None)
    if set_colors is not None:
        set_colors(None)


# --- The sample articles of examples/news give the findings examples/README.md states -------------------------------
# Expected values are the articles' own figures and the hand computations written in examples/README.md
# (e.g. 175.00 / 106.89 - 1 = +63.72% against the stated 73.72%), not the reader's output.
NEWS = REPO / "examples" / "news"


def _check(store, name: str, published: str | None = None):
    from ipolens.app.news import check_files

    return check_files(store, [str(NEWS / name)], published, None, None).to_dict()


def _claim_ids(result, metric: str, value: float) -> set[str]:
    return {c["id"] for c in result["claims"] if c["metric"] == metric and c["value"] == pytest.approx(value)}


@pytest.mark.parametrize("name, metric, stated", [
    ("2026-01-08-iluvatar-debut.zh-Hans.txt", "first_day_return", 8.44),   # 156.80 / 144.60 - 1 = 8.437%
    ("2026-01-09-minimax-debut.zh-Hant.txt", "first_day_return", 109.09),  # 345.00 / 165.00 - 1 = 109.091%
    ("2026-01-13-gigadevice-debut.en.txt", "first_day_return", 37.53),     # 222.80 / 162.00 - 1 = 37.531%
])
def test_clean_example_articles_flag_nothing(store, name, metric, stated):
    res = _check(store, name)
    assert res["flagged"] == [], res["flagged"]
    ids = _claim_ids(res, metric, stated)
    assert ids, f"{name}: the stated {stated}% was not read"
    assert any(f["check"] == "pct_change" and f["verdict"] == "consistent" and ids & set(f["claims"])
               for f in res["findings"]), f"{name}: {stated}% not confirmed from the prices"
    assert "inconsistent" not in res["verdicts"]


def test_arithmetic_error_example_is_flagged(store):
    res = _check(store, "2026-02-09-montage-debut.arithmetic-error.zh-Hans.txt")
    wrong = _claim_ids(res, "first_day_return", 73.72)  # 175.00 / 106.89 - 1 = 63.72%, not 73.72%
    assert wrong
    flagged = {(f["check"], f["verdict"]) for f in res["flagged"] if wrong & set(f["claims"])}
    assert ("pct_change", "inconsistent") in flagged  # inside the article
    assert ("ledger", "inconsistent") in flagged  # the ledger's 63.7197
    # nothing else is flagged: every other figure is the ledger's own
    assert all(wrong & set(f["claims"]) for f in res["flagged"]), res["flagged"]


def test_ledger_contradiction_example_is_flagged(store):
    res = _check(store, "2026-01-12-omnivision-debut.ledger-conflict.zh-Hant.txt")
    wrong = _claim_ids(res, "oversubscription_public", 92.8)  # the ledger holds 9.28x
    assert wrong
    assert [(f["check"], f["verdict"]) for f in res["flagged"]] == [("ledger", "inconsistent")]
    assert wrong <= set(res["flagged"][0]["claims"])


def test_title_only_example_reads_and_agrees(store):
    res = _check(store, "moore-threads-headline.txt", "2025-12-05")
    got = {(c["metric"], c["value"], c["currency"]) for c in res["claims"]}
    assert {("offer_price", 114.28, "CNY"), ("close_price", 600.5, "CNY")} <= got  # bare 元 on STAR: CNY
    assert ("first_day_return", 425.46, None) in got  # 600.50 / 114.28 - 1 = 425.46%
    assert all(c["verdict"] == "consistent" for c in res["claims"])
    # the only flag is the ledger's own conflict (468.78% in the launch article vs 425.46% recomputed)
    assert {f["check"] for f in res["flagged"]} <= {"ledger_conflict"}
