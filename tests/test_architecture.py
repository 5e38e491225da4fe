"""The shape of the code, read from the source: layers import one way, SQL and duckdb live only in ledger/ and app/,
the faces stay thin. These tests parse the source; they import nothing of ipolens."""
from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "ipolens"

# rank of each top-level part: an import may go to a lower rank or stay inside its own part
RANK = {"ledger": 0, "i18n": 0, "analytics": 1, "hk": 1, "lab": 1, "news": 1, "data": 1, "app": 2,
        "cli": 3, "web": 3, "report": 3, "api": 3, "__init__": 3,
        "__main__": 4}  # python -m ipolens: the entry point above the faces
SQL_HOMES = ("ledger", "app")
SQL = re.compile(r"\b(SELECT\b[\s\S]*\bFROM|INSERT\s+(OR\s+\w+\s+)?INTO|DELETE\s+FROM|UPDATE\s+\w+\s+SET|"
                 r"CREATE\s+(OR\s+REPLACE\s+)?(TABLE|VIEW|TEMP)|COPY\s+\(|read_csv(_auto)?\s*\()")


def _modules() -> dict[str, Path]:
    out = {}
    for p in sorted(SRC.rglob("*.py")):
        rel = p.relative_to(SRC).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        out[".".join(["ipolens", *parts]) if parts != ["__init__"] else "ipolens"] = p
    return out


MODULES = _modules()


def _part(module: str) -> str:
    bits = module.split(".")
    if len(bits) == 1:
        return "__init__"
    return bits[1]


def _imports(module: str, path: Path) -> set[str]:
    """ipolens modules imported anywhere in the file (top level or inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_pkg = path.name == "__init__.py"
    package = module if is_pkg else module.rsplit(".", 1)[0]
    found = set()
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
            found.update(n for n in names if n == "ipolens" or n.startswith("ipolens."))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not (target == "ipolens" or target.startswith("ipolens.")):
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in MODULES else target)
    return {_owner(m) for m in found}


def _runtime_nodes(tree: ast.AST):
    """Every node except those under ``if TYPE_CHECKING:`` (annotations only: no import happens at run time)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and getattr(child.test, "id", getattr(child.test, "attr", "")) == \
                    "TYPE_CHECKING":
                stack.extend(child.orelse)
                continue
            stack.append(child)


def _owner(name: str) -> str:
    while name not in MODULES and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


GRAPH = {m: _imports(m, p) - {m} for m, p in MODULES.items()}


def test_every_part_has_a_layer():
    assert {_part(m) for m in MODULES} <= set(RANK)


def test_imports_run_down_the_layers():
    bad = []
    for mod, deps in GRAPH.items():
        src = RANK.get(_part(mod), -1)  # a new top-level part must be given a rank above
        for dep in deps:
            if RANK.get(_part(dep), 9) > src:
                bad.append(f"{mod} -> {dep}")
    assert not bad, "imports against the layers (faces -> app -> pure -> ledger):\n" + "\n".join(sorted(bad))


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), packages' own __init__ edges excluded."""
    graph = {m: {d for d in deps if not m.startswith(d + ".")} for m, deps in GRAPH.items()}
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles():
    assert _cycles() == []


def test_pure_layers_form_no_cycle_between_parts():
    parts = {}
    for mod, deps in GRAPH.items():
        if RANK[_part(mod)] == 1:
            parts.setdefault(_part(mod), set()).update(_part(d) for d in deps if RANK[_part(d)] == 1)
    for a, deps in parts.items():
        for b in deps - {a}:
            assert a not in parts.get(b, set()), f"{a} and {b} import each other"


def _strings(path: Path) -> list[tuple[int, str]]:
    toks = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    return [(t.start[0], t.string) for t in toks if t.type == tokenize.STRING]


def test_sql_and_duckdb_only_in_ledger_and_app():
    bad = []
    for mod, path in MODULES.items():
        if _part(mod) in SQL_HOMES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            bad += [f"{mod}:{node.lineno} imports duckdb" for n in names if n.split(".")[0] == "duckdb"]
        bad += [f"{mod}:{line} SQL {s[:60]!r}" for line, s in _strings(path) if SQL.search(s)]
    assert not bad, "\n".join(bad)


def test_the_sql_detector_sees_sql():
    # the scan above must be able to fail: it finds the SQL the ledger itself holds
    hits = [m for m, p in MODULES.items() if _part(m) == "ledger" and any(SQL.search(s) for _, s in _strings(p))]
    assert len(hits) >= 3


def _lines(paths) -> int:
    return sum(len(p.read_text(encoding="utf-8").splitlines()) for p in paths)


def test_cli_is_thin():
    # per module and per function, not in total: the CLI grows by a module per area, each only parsing and rendering
    big = {p.name: n for p in (SRC / "cli").glob("*.py") if (n := _lines([p])) >= 250}
    assert not big, big
    long_fns = []
    for p in (SRC / "cli").glob("*.py"):
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.end_lineno - node.lineno + 1 > 45:
                long_fns.append(f"{p.name}:{node.name}")
    assert not long_fns, long_fns


def test_create_app_is_short():
    tree = ast.parse((SRC / "web" / "app.py").read_text(encoding="utf-8"))
    fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "create_app")
    assert fn.end_lineno - fn.lineno + 1 < 80


@pytest.mark.parametrize("face", ["cli", "web"])
def test_faces_hold_no_arithmetic_on_frames(face):
    # faces render; merges and group-bys belong to the app layer
    bad = []
    for p in (SRC / face).rglob("*.py"):
        text = p.read_text(encoding="utf-8")
        bad += [f"{p.name}: {m.group(0)}" for m in re.finditer(r"\.(merge|groupby|pivot_table)\(", text)]
    assert not bad, bad
