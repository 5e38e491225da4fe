"""Issue 13 experiment: does a learned role chooser generalise better than the hand precedence rules?

    python benchmarks/role_learn_experiment.py [--corpus ../shared/data/news-dev] [--pool DIR ...] [--heldout]
        [--model rank|flat|prior] [--cache table.json] [--calibration] [--dev-check] [--variants a,b]

Training table: every labelled figure the reader matches (corpus_eval's matching) in the news-dev ``dev`` split and
in the tune (odd) halves of the given pools; features are ``role_learn_features`` (lexicon vocabulary only, no
article text); the target is the label's metric. Variants:
  hand      the reader as it is;
  learned   the model's role for every figure the role steps decide: ``--model rank`` (role_learn_rank: one
            binary logistic regression scoring each candidate role by where its cues sit) or ``--model flat`` (a
            multi-class logistic regression over the label metrics, any metric, candidates or not);
  fallback  the learned role only where the hand rules leave the figure unassigned or their cues conflict;
  confident the learned role where its probability is at least --confident, else the hand role.
Printed: leave-one-article-out metric agreement on the training articles (each article's figures predicted by a
model trained on the others; the hand carry of roles between figures kept), then with ``--heldout`` the summary of
``news eval --split test`` on each pool's held-out half, the model trained on all training articles (summary only).
It also prints the ranker's ceiling (figures whose label metric is among their candidates) and the hand rules'
wrong figures by kind (a precedence error, or no cue of the label's metric firing at all).
Needs scikit-learn (the ``learn`` extra) and ../shared; skips when either is absent. Nothing is shipped: the
experiment found no variant that lifts the held-out pool halves (benchmarks/role_learn.md).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
DEFAULT_POOLS = ("/tmp/w9/roles_pool", "/tmp/w9/verdict/pool", "/tmp/w9/tables-pool")


def table(store, corpus: str, split: str = "dev") -> list[dict]:
    """One row per labelled figure the reader matched: article, features (None: no role step, e.g. a date),
    label metric, hand metric."""
    from role_learn_features import Recorder

    from ipolens.app.news import gazetteer
    from ipolens.news import api, corpus_eval as ce

    gaz = gazetteer(store)
    natural, _ = ce.load_corpus(corpus, split)
    rows = []
    for la in natural:
        art = api.read_articles([la.text_path])[0]
        day, market = ce.article_date(art.header.get("date")), ce.outlet_for(la.market)
        with Recorder() as rec:
            read = api.extract_all([art], gaz, day, market)
        claims = [c for _, cs in read.values() for c in cs]
        ce.locate_quotes(art.text, art.body_start, la.labels)
        dicts = [c.to_json() for c in claims]
        by_id = {id(d): c for d, c in zip(dicts, claims)}
        for m in ce.match_claims(la.labels, dicts, art.text):
            if m.claim is None:
                continue
            c = by_id[id(m.claim)]
            feats, _, other = rec.rows.get((c._nstart, c._nend), (None, None, None))
            rows.append({"article": f"{corpus}#{la.key}", "features": feats, "label": m.label.metric,
                         "hand": c.metric, "other_kinds": other})
    return rows


MODEL = {"kind": "rank"}  # "flat": a multi-class regression over label metrics; "rank", "prior": role_learn_rank


def _fit(rows: list[dict], c: float):
    if MODEL["kind"] == "prior":
        import role_learn_rank

        return role_learn_rank.fit_prior(rows)
    if MODEL["kind"] == "rank":
        import role_learn_rank

        from ipolens.news import corpus_eval as ce

        return role_learn_rank.fit(rows, ce.metric_agrees, c)
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    train = [r for r in rows if r["features"] and r["label"]]
    vec = DictVectorizer()
    x = vec.fit_transform([dict.fromkeys(r["features"], 1) for r in train])
    model = LogisticRegression(C=c, max_iter=2000).fit(x, [r["label"] for r in train])
    return vec, model


def _predict(vec, model, feats: list[str]) -> tuple[str, float]:
    if MODEL["kind"] == "prior":
        import role_learn_rank

        return role_learn_rank.prior_best(model, feats)
    if MODEL["kind"] == "rank":
        import role_learn_rank

        return role_learn_rank.best(vec, model, feats)
    p = model.predict_proba(vec.transform([dict.fromkeys(feats, 1)]))[0]
    i = int(p.argmax())
    return str(model.classes_[i]), float(p[i])


def choose(variant: str, feats: list[str] | None, hand: str, predicted: tuple[str, float] | None,
           confident: float) -> str:
    from ipolens.news import corpus_eval as ce

    if not feats or predicted is None or variant == "hand":
        return hand
    if variant == "learned":
        return predicted[0]
    if variant == "fallback":
        open_ = ce.is_unassigned(hand) or any(f.startswith("conflict:") for f in feats)
        return predicted[0] if open_ else hand
    return predicted[0] if predicted[1] >= confident else hand  # confident


VARIANTS = ("hand", "learned", "fallback", "confident")


def leave_one_out(rows: list[dict], c: float, confident: float) -> dict[str, dict[str, tuple[int, int]]]:
    """Variant -> corpus -> (agreeing, matched) with each article predicted by a model of the other articles."""
    from ipolens.news import corpus_eval as ce

    out: dict[str, dict[str, list[int]]] = {v: defaultdict(lambda: [0, 0]) for v in VARIANTS}
    arts = sorted({r["article"] for r in rows})
    for a in arts:
        vec, model = _fit([r for r in rows if r["article"] != a], c)
        for r in (r for r in rows if r["article"] == a):
            pred = _predict(vec, model, r["features"]) if r["features"] else None
            for v in VARIANTS:
                got = choose(v, r["features"], r["hand"], pred, confident)
                tally = out[v][a.split("#")[0]]
                tally[0] += ce.metric_agrees(r["label"], got)
                tally[1] += 1
    return {v: {k: tuple(t) for k, t in d.items()} for v, d in out.items()}


def fallback_calibration(rows: list[dict], c: float, folds: int = 5) -> list[tuple[float, bool]]:
    """(probability, right) of the learned role on each figure the fallback variant would change (hand unassigned
    or its cues in conflict), by article-grouped cross-validation on the training table."""
    from ipolens.news import corpus_eval as ce

    arts = sorted({r["article"] for r in rows})
    out = []
    for k in range(folds):
        held = set(arts[k::folds])
        vec, model = _fit([r for r in rows if r["article"] not in held], c)
        for r in rows:
            opened = r["features"] and choose("fallback", r["features"], r["hand"], ("?", 1), 0) == "?"
            if r["article"] in held and opened:
                role, p = _predict(vec, model, r["features"])
                out.append((p, ce.metric_agrees(r["label"], role)))
    return out


def heldout(store, pool: str, variant: str, model, confident: float, split: str = "test") -> dict:
    """Summary scores of ``news eval --split test`` on ``pool`` with ``variant`` choosing the roles (``split`` dev:
    the news-dev dev split, whose articles the model was trained on: a check that nothing breaks, not a score)."""
    from role_learn_features import Recorder, to_reader_name

    from ipolens.app.news import evaluate_corpus

    vec, lr = model or (None, None)

    def chooser(feats, hand):
        pred = _predict(vec, lr, feats) if lr is not None else None
        return to_reader_name(choose(variant, feats, hand, pred, confident))

    with Recorder(chooser if variant != "hand" else None):
        s = evaluate_corpus(store, pool, split).to_dict()["scores"]
    return {k: s[k] for k in ("matched", "metric_right", "metric_unassigned", "metric_agreement", "flagged",
                              "flagged_right", "consistent_verified", "consistent_labels")}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(HERE.parents[1] / "shared" / "data" / "news-dev"))
    ap.add_argument("--pool", action="append", help="a pool in the news-dev layout (odd: tune, even: held out)")
    ap.add_argument("--c", type=float, default=1.0, help="inverse regularisation of the logistic regression")
    ap.add_argument("--confident", type=float, default=0.6)
    ap.add_argument("--cache", help="a JSON file the training table is kept in (features and labels, no text)")
    ap.add_argument("--variants", default=",".join(VARIANTS), help="the variants scored on the held-out halves")
    ap.add_argument("--dev-check", action="store_true", help="news-dev dev with each variant (in-sample model)")
    ap.add_argument("--calibration", action="store_true", help="how often the fallback's guesses are right")
    ap.add_argument("--no-loo", action="store_true", help="skip the leave-one-article-out scores")
    ap.add_argument("--model", choices=("rank", "flat", "prior"), default="rank")
    ap.add_argument("--heldout", action="store_true", help="also score the pools' held-out halves (summary only)")
    args = ap.parse_args()
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("skipped: scikit-learn is not installed")
        return
    pools = [p for p in (args.pool or DEFAULT_POOLS) if Path(p).is_dir()]
    # the news-dev test split is never scored here: a pool that is the corpus is refused
    pools = [p for p in pools if Path(p).resolve() != Path(args.corpus).resolve()
             and "news-dev" not in Path(p).resolve().parts]
    if not Path(args.corpus).is_dir():
        print(f"skipped: {args.corpus} absent")
        return
    from ipolens.app.store import open_store

    store = open_store(":memory:")
    cache = Path(args.cache) if args.cache else None
    if cache and cache.exists():
        rows = json.loads(cache.read_text(encoding="utf-8"))
    else:
        rows = [r for src in (args.corpus, *pools) for r in table(store, src, "dev")]
        if cache:
            cache.write_text(json.dumps(rows), encoding="utf-8")
    with_feats = sum(r["features"] is not None for r in rows)
    print(f"training table: {len(rows)} matched figures ({with_feats} with role features), "
          f"{len({r['article'] for r in rows})} articles, {len({r['label'] for r in rows if r['label']})} metrics")
    MODEL["kind"] = args.model
    import role_learn_rank

    from ipolens.news import corpus_eval as ce
    from ipolens.news.roles import lexicon

    print(f"label among the candidates (ranker ceiling): {role_learn_rank.oracle(rows, ce.metric_agrees)}/{len(rows)}")
    known = lexicon().metrics() | set(ce.metric_table()[0]) | {a for v in ce.metric_table()[0].values() for a in v}
    for k, n in role_learn_rank.error_kinds(rows, ce.metric_agrees, ce.is_unassigned, known).items():
        print(f"hand wrong: {n:4d}  {k}")
    loo = {} if args.no_loo else leave_one_out(rows, args.c, args.confident)
    for v in loo:
        cells = [f"{Path(k).name}={a}/{n}={a / n:.3f}" for k, (a, n) in sorted(loo[v].items())]
        tot = [sum(x) for x in zip(*loo[v].values())]
        print(f"LOAO {v:9s} all={tot[0]}/{tot[1]}={tot[0] / tot[1]:.3f}  " + "  ".join(cells), flush=True)
    if args.calibration:
        cal = fallback_calibration(rows, args.c)
        for t in (0.0, 0.2, 0.3, 0.4, 0.5):
            sel = [right for p, right in cal if p >= t]
            print(f"fallback guesses with p>={t}: {sum(sel)}/{len(sel)} right (5-fold by article)")
    model = _fit(rows, args.c) if args.heldout or args.dev_check else None
    for v in args.variants.split(",") if args.dev_check else ():
        print(f"news-dev dev (in-sample) {v:9s} {heldout(store, args.corpus, v, model, args.confident, 'dev')}",
              flush=True)
    if args.heldout:
        for pool in pools:
            for v in args.variants.split(","):
                print(f"held-out {Path(pool).parent.name}/{Path(pool).name} {v:9s} "
                      f"{heldout(store, pool, v, model, args.confident)}", flush=True)


if __name__ == "__main__":
    main()
