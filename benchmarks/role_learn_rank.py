"""A learned chooser that ranks a figure's candidate roles (issue 13 experiment).

A flat classifier over ~200 label metrics sees most metrics a handful of times; the precedence rules it would replace
are metric-independent (the nearest cue in the figure's own clause wins, an after-cue joined by 的 beats one in
front ...). The ranker learns that precedence instead: each candidate role of a figure (the hand role, every cue's
role as the qualifiers sharpen it, the head noun's, the carried one) is described by where its cues sit (window,
side, distance bucket, across a comma), whether the hand rules chose it, and the figure's kind, and one binary
logistic regression scores it; the figure takes its best-scoring candidate.

Features come from ``role_learn_features.features`` strings only (lexicon vocabulary, no article text).
"""
from __future__ import annotations

from collections import defaultdict

NONE = "statement"  # claim.UNASSIGNED


def candidates(feats: list[str]) -> dict[str, list[str]]:
    """Candidate role -> its features (see the module docstring)."""
    hand = pick = head = None
    raw_to: dict[str, set[str]] = defaultdict(set)
    hits: dict[str, list[str]] = defaultdict(list)
    ctx, conflicts, carried = [], set(), set()
    for f in feats:
        key, _, rest = f.partition(":")
        if key == "hand":
            hand = rest
        elif key == "pick":
            pick = rest
        elif key == "head":
            head = rest
        elif key == "cand":
            raw, _, sharp = rest.partition(">")
            raw_to[raw].add(sharp)
        elif key == "conflict":
            conflicts.add(rest)
        elif key == "carry":
            carried.add(rest.partition(":")[2])
        elif key == "B" and rest.count(":") == 2:
            tag, metric, where = rest.split(":")
            hits[metric].append(f"src:B:{tag}:{where}")
        elif key == "A" and rest.count(":") == 1:
            metric, where = rest.split(":")
            hits[metric].append(f"src:A:{where}")
        elif key in ("kind", "script", "qual") or f in ("cell", "prose"):
            ctx.append(f)
    out: dict[str, set[str]] = defaultdict(set)
    for raw, sharps in raw_to.items():
        for s in sharps:
            out[s].update(hits.get(raw, ()))
            out[s].add("from_cue")
            if s != raw:
                out[s].add("sharpened")
            if raw in conflicts:
                out[s].add("in_conflict")
            if raw == head:
                out[s].add("from_head")
            if raw == pick:
                out[s].add("is_pick")
    for s in carried:
        out[s].add("carried")
    if hand:
        out[hand].add("is_hand")
        if conflicts:
            out[hand].add("hand_after_conflict")
    n = len([s for s in out if s != NONE])
    res = {}
    for s, fs in out.items():
        role = "is_hand" in fs
        base = sorted(fs) + [f"n_cands:{min(n, 4)}", f"metric:{s}"]
        base += [f"{c}&hand={role}" for c in ctx]
        base += [f"{x}&{c}" for x in fs if x.startswith("src:") for c in ctx if c.startswith("kind:")]
        if s == NONE:
            base.append("is_none")
        res[s] = base
    return res


def fit(rows: list[dict], agrees, c: float = 1.0):
    """(vectoriser, model) of a binary logistic regression: is this candidate the label's metric?"""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    xs, ys = [], []
    for r in rows:
        if not r["features"] or not r["label"]:
            continue
        for s, fs in candidates(r["features"]).items():
            xs.append(dict.fromkeys(fs, 1))
            ys.append(int(agrees(r["label"], s)))
    vec = DictVectorizer()
    model = LogisticRegression(C=c, max_iter=3000).fit(vec.fit_transform(xs), ys)
    return vec, model


def best(vec, model, feats: list[str]) -> tuple[str, float]:
    """The best-scoring candidate role and its probability."""
    cands = candidates(feats)
    names = list(cands)
    p = model.predict_proba(vec.transform([dict.fromkeys(cands[s], 1) for s in names]))[:, 1]
    i = int(p.argmax())
    return names[i], float(p[i])


def oracle(rows: list[dict], agrees) -> int:
    """How many figures have the label's metric among their candidates (the ranker's ceiling)."""
    return sum(any(agrees(r["label"], s) for s in candidates(r["features"])) if r["features"] else
               agrees(r["label"], r["hand"]) for r in rows)


def error_kinds(rows: list[dict], agrees, unassigned, known: set[str]) -> dict[str, int]:
    """The hand rules' wrong figures by what a chooser could do about them: the label's metric among the candidates
    (a better precedence would fix it) or not (no lexicon cue of that metric fires: a vocabulary gap), and whether
    the reader has a name for the label's metric at all."""
    out: dict[str, int] = defaultdict(int)
    for r in rows:
        if agrees(r["label"], r["hand"]):
            continue
        if not r["features"]:
            out["no role step (a date, a list spread)"] += 1
            continue
        where = "label among candidates" if any(agrees(r["label"], s) for s in candidates(r["features"])) \
            else "a cue of the label's metric fires for another kind" \
            if any(agrees(r["label"], m) for m in r.get("other_kinds") or ()) \
            else "no cue of the label's metric fires"
        name = "" if r["label"] in known else ", reader has no such metric"
        out[f"{where}{name}, hand {'unassigned' if unassigned(r['hand']) else 'wrong role'}"] += 1
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def fit_prior(rows: list[dict]):
    """A baseline for the learned models: each figure kind's most frequent label metric (None, kind -> metric)."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        if r["features"] and r["label"]:
            counts[_kind_of(r["features"])][r["label"]] += 1
    return None, {k: max(c, key=c.get) for k, c in counts.items()}


def prior_best(prior: dict[str, str], feats: list[str]) -> tuple[str, float]:
    role = prior.get(_kind_of(feats))
    return (role, 1.0) if role else (next(f[5:] for f in feats if f.startswith("hand:")), 0.0)


def _kind_of(feats: list[str]) -> str:
    return next((f for f in feats if f.startswith("kind:")), "kind:?")
