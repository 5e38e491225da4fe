"""Interval arithmetic over an identity's expression tree: evaluate it, and invert it for any one role."""
from __future__ import annotations

import ast
import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .identity_defs import Identity

__all__ = ["interval_eval", "solve_for", "Interval"]

Interval = tuple[float, float]


def _mul(a: Interval, b: Interval) -> Interval:
    ps = [0.0 if (x == 0 or y == 0) else x * y for x in a for y in b]
    return min(ps), max(ps)


def _div(a: Interval, b: Interval) -> Interval:
    if b[0] <= 0 <= b[1]:
        return -math.inf, math.inf
    return _mul(a, (1 / b[1], 1 / b[0]))


def _op(op: ast.operator, a: Interval, b: Interval) -> Interval:
    if isinstance(op, ast.Add):
        return a[0] + b[0], a[1] + b[1]
    if isinstance(op, ast.Sub):
        return a[0] - b[1], a[1] - b[0]
    if isinstance(op, ast.Mult):
        return _mul(a, b)
    if isinstance(op, ast.Div):
        return _div(a, b)
    raise ValueError(f"operator {type(op).__name__} not supported")


def interval_eval(node: ast.AST, env: dict[str, Interval]) -> Interval:
    """The interval of an expression over interval-valued names."""
    if isinstance(node, ast.Constant):
        return float(node.value), float(node.value)
    if isinstance(node, ast.Name):
        return env[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        lo, hi = interval_eval(node.operand, env)
        return -hi, -lo
    if isinstance(node, ast.BinOp):
        return _op(node.op, interval_eval(node.left, env), interval_eval(node.right, env))
    raise ValueError(f"expression {ast.dump(node)} not supported")


_NAMES: dict[int, tuple[ast.AST, frozenset[str]]] = {}


def _has(node: ast.AST, name: str) -> bool:
    # the identities' trees are parsed once and solved thousands of times: their names are read once per node
    hit = _NAMES.get(id(node))
    if hit is None or hit[0] is not node:
        hit = _NAMES[id(node)] = (node, frozenset(n.id for n in ast.walk(node) if isinstance(n, ast.Name)))
    return name in hit[1]


def _invert(node: ast.AST, target: Interval, env: dict[str, Interval], x: str) -> Interval:
    """The values of ``x`` for which ``node`` can equal a value in ``target`` (``x`` appears once in ``node``)."""
    if isinstance(node, ast.Name):
        return target
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return _invert(node.operand, (-target[1], -target[0]), env, x)
    if not isinstance(node, ast.BinOp):
        raise ValueError("cannot invert")
    op, left = node.op, _has(node.left, x)
    other = interval_eval(node.right if left else node.left, env)
    if isinstance(op, ast.Add):
        t = _op(ast.Sub(), target, other)
    elif isinstance(op, ast.Mult):
        t = _div(target, other)
    elif isinstance(op, ast.Sub):
        t = _op(ast.Add(), target, other) if left else _op(ast.Sub(), other, target)
    elif isinstance(op, ast.Div):
        t = _mul(target, other) if left else _div(other, target)
    else:
        raise ValueError("cannot invert")
    return _invert(node.left if left else node.right, t, env, x)


def solve_for(ident: Identity, unknown: str, known: dict[str, Interval]) -> Interval:
    """The interval of ``unknown`` that the relation allows given the others' intervals."""
    env = dict(ident.constants)
    env.update(known)
    lo, hi = ident.slack
    if _has(ident.lhs, unknown):
        r = interval_eval(ident.rhs, env)
        return _invert(ident.lhs, (r[0] + lo, r[1] + hi), env, unknown)
    left = interval_eval(ident.lhs, env)
    return _invert(ident.rhs, (left[0] - hi, left[1] - lo), env, unknown)
