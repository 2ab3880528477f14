"""`lapor train`, `classify`, `eval`, `model`: the routing model."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from lapor.settings import Settings


async def _train(
    settings: Settings, *, data: Path | None, with_corrections: bool, seed: int
) -> None:
    from classifier.dataset import load_examples
    from lapor.db import connect
    from lapor.models import train_and_register

    async with connect(settings.database_url, pooled=settings.pooled) as conn:
        outcome = await train_and_register(
            conn,
            settings.data_dir / "models",
            examples=load_examples(data) if data else None,
            with_corrections=with_corrections,
            seed=seed,
            n_jobs=2,  # the cross-validation folds, one process per core
        )
    model = outcome.model
    grouped = model.metrics["grouped_cv"]
    print(
        f"model {model.version}  ({model.metadata['n_examples']} examples by "
        f"{len(model.metadata['authors'])} authors, {outcome.corrections} corrections)"
    )
    print(_figures_line("independent set (never trained on)", outcome.new))
    if outcome.active is not None:
        print(_figures_line("  the active model on it", outcome.active))
    print(
        f"  grouped-by-author CV:  accuracy {grouped['accuracy']:.3f}  "
        f"macro-F1 {grouped['macro_f1']:.3f}  routed {grouped['coverage']:.1%} at "
        f"{grouped['precision_at_threshold'] or 0:.1%} precision"
    )
    print(
        f"  route-score threshold {model.threshold:.3f}; nothing routed above "
        f"{model.non_complaint_cutoff:g} probability of being no complaint"
    )
    print(f"  saved {outcome.path}")
    print(
        "  ACTIVE now"
        if outcome.activated
        else "  NOT activated: it does worse than the active model on the independent set"
    )


def _figures_line(name: str, evaluation) -> str:
    precision = evaluation.precision_at_threshold
    return (
        f"  {name}: accuracy {evaluation.accuracy:.3f}  macro-F1 {evaluation.macro_f1:.3f}  "
        f"routed {evaluation.coverage:.1%} at "
        f"{'-' if precision is None else f'{precision:.1%}'} precision, "
        f"non-complaints routed {evaluation.non_complaints_routed} of {evaluation.non_complaints}"
    )


async def _active_router(settings: Settings):
    from lapor.city import load_city
    from lapor.db import connect
    from lapor.models import load_active
    from lapor.routing import ClassifierRouter

    city = load_city(settings.city)
    async with connect(settings.database_url, pooled=settings.pooled) as conn:
        model = await load_active(conn)
    if model is None:
        raise SystemExit("lapor: no active model; run `lapor train` first")
    return city, ClassifierRouter(city, model)


def _classification(city, router, text: str) -> dict:
    decision = router.route(text, None)
    category = decision.predicted_category
    return {
        "category": category,
        "agency": city.agency_for(category).code,
        "confidence": decision.confidence,
        "auto_routed": decision.status == "assigned",
        "top_terms": list(decision.top_terms),
    }


async def _classify(settings: Settings, text: str | None) -> int:
    from classifier.normalize import EmptyText

    city, router = await _active_router(settings)
    if text is not None:
        try:
            print(json.dumps(_classification(city, router, text), ensure_ascii=False))
        except EmptyText as error:
            print(json.dumps({"error": str(error)}, ensure_ascii=False))
            return 1
        return 0
    failures = 0
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise ValueError('expected an object with a "text" string')
            result = _classification(city, router, item["text"])
        except (ValueError, EmptyText) as error:  # JSONDecodeError is a ValueError
            failures += 1
            result = {"line": number, "error": str(error)}
        print(json.dumps(result, ensure_ascii=False), flush=True)
    return 1 if failures else 0


async def _eval(settings: Settings, data: Path | None, out: Path | None) -> None:
    """The evaluation ladder, most honest first: the independent set (authors who never saw
    the corpus), the older holdout (same author as the corpus), grouped-by-author CV."""
    from classifier.dataset import load_examples
    from classifier.evaluation import evaluate, plot_confusion
    from lapor.models import INDEPENDENT_DATA, OWN_HOLDOUT

    city, router = await _active_router(settings)
    model = router.model
    sets = [(f"{data}", data)] if data else []
    sets += [
        ("independent set (never trained on)", INDEPENDENT_DATA),
        ("own holdout (corpus author)", OWN_HOLDOUT),
    ]
    print(f"model {model.version}, route-score threshold {router.threshold:.3f}")
    print(
        f"{'':38}{'n':>6}{'accuracy':>10}{'macro-F1':>10}{'routed':>8}{'precision':>11}"
        f"{'non-compl. routed':>19}"
    )
    evaluations = []
    for name, path in sets:
        if not path.exists():
            print(f"{name:38}  (no file {path})")
            continue
        evaluation = evaluate(model, load_examples(path), threshold=router.threshold)
        evaluations.append((name, evaluation))
        print(_ladder_row(name, evaluation.to_dict()))
    grouped = model.metrics["grouped_cv"]
    print(_ladder_row("grouped-by-author CV (out of fold)", grouped))
    if not evaluations:
        return
    name, first = evaluations[0]
    print(f"\n{name}, per category:")
    print(first.to_text())
    out = out or settings.data_dir / "eval"
    out.mkdir(parents=True, exist_ok=True)
    png = plot_confusion(first, out / f"confusion-{model.version}.png")
    print(f"confusion matrix: {png}")


def _ladder_row(name: str, figures: dict) -> str:
    precision = figures["precision_at_threshold"]
    routed_wrongly = (
        f"{figures.get('non_complaints_routed', 0)} of {figures.get('non_complaints', 0)}"
    )
    return (
        f"{name:38}{figures['n']:>6}{figures['accuracy']:>10.3f}{figures['macro_f1']:>10.3f}"
        f"{figures['coverage']:>8.1%}{'-' if precision is None else f'{precision:.3f}':>11}"
        f"{routed_wrongly:>19}"
    )


async def _models(settings: Settings, activate: str | None) -> None:
    from lapor.db import connect
    from lapor.models import activate as activate_model
    from lapor.models import list_models

    async with connect(settings.database_url, pooled=settings.pooled) as conn:
        if activate:
            await activate_model(conn, activate)
            print(f"active: {activate}")
            return
        for model in await list_models(conn):
            score = "-" if model.macro_f1 is None else f"{model.macro_f1:.3f}"
            print(
                f"{'*' if model.active else ' '} {model.version}  threshold {model.threshold:.3f}  "
                f"grouped macro-F1 {score}  {model.created_at:%Y-%m-%d %H:%M}"
            )


async def _has_active_model(dsn: str) -> bool:
    from lapor.db import connect
    from lapor.models import has_active_model

    async with connect(dsn) as conn:
        return await has_active_model(conn)
