"""The registry of trained routing models: which exist, which one routes, and retraining."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import asyncpg

from classifier.dataset import Example, load_examples
from classifier.evaluation import evaluate
from classifier.model import TrainedModel, load, train
from lapor.db import repository_root
from lapor.errors import NotFound, ValidationFailed

if TYPE_CHECKING:
    from lapor.context import Services

log = logging.getLogger(__name__)

TRAINING_DATA = repository_root() / "classifier" / "data" / "complaints.jsonl"
# Never trained on: the fixed split on which a retrained model must not do worse.
EVALUATION_DATA = repository_root() / "classifier" / "data" / "holdout.jsonl"


@dataclass(frozen=True)
class RegisteredModel:
    version: str
    path: str
    threshold: float
    macro_f1: float | None
    created_at: datetime
    active: bool
    metadata: dict[str, Any]


def _registered(row: asyncpg.Record) -> RegisteredModel:
    return RegisteredModel(
        row["version"],
        row["path"],
        row["threshold"],
        row["macro_f1"],
        row["created_at"],
        row["active"],
        row["metadata"],
    )


async def register(conn: asyncpg.Connection, model: TrainedModel, path: Path) -> None:
    await conn.execute(
        """INSERT INTO model_version (version, path, metadata, threshold, macro_f1)
           VALUES ($1, $2, $3, $4, $5)""",
        model.version,
        str(path),
        model.metadata,
        model.threshold,
        model.metrics["grouped_cv"]["macro_f1"],
    )


async def activate(conn: asyncpg.Connection, version: str) -> None:
    async with conn.transaction():
        if not await conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM model_version WHERE version = $1)", version
        ):
            raise NotFound(f"no model version {version!r}")
        await conn.execute("UPDATE model_version SET active = false WHERE active")
        await conn.execute("UPDATE model_version SET active = true WHERE version = $1", version)
    log.info("model activated version=%s", version)


async def switch(services: Services, version: str) -> RegisteredModel:
    """Activate a version and route with it from the next complaint on, in this process.

    The file is loaded before the registry changes, so a model that cannot be read is never
    made active. Other running instances pick it up when they restart.
    """
    from lapor.routing import ClassifierRouter

    async with services.pool.acquire() as conn:
        row = await conn.fetchrow("SELECT * FROM model_version WHERE version = $1", version)
    if row is None:
        raise NotFound(f"Versi model {version[:60]!r} tidak ada.")
    registered = _registered(row)
    try:
        model = await asyncio.to_thread(load, registered.path)  # joblib reads and unpickles
    except Exception as error:  # missing or unreadable file: say so, keep the active model
        log.warning("model not loadable version=%s error=%s", version, type(error).__name__)
        raise ValidationFailed.on(
            "version", f"berkas model {version} tidak dapat dibaca ({registered.path})"
        ) from None
    async with services.pool.acquire() as conn:
        await activate(conn, version)
    services.router = ClassifierRouter(services.city, model)
    return registered


async def list_models(conn: asyncpg.Connection) -> list[RegisteredModel]:
    rows = await conn.fetch("SELECT * FROM model_version ORDER BY created_at DESC, version DESC")
    return [_registered(r) for r in rows]


async def active_model(conn: asyncpg.Connection) -> RegisteredModel | None:
    row = await conn.fetchrow("SELECT * FROM model_version WHERE active")
    return None if row is None else _registered(row)


async def load_active(conn: asyncpg.Connection) -> TrainedModel | None:
    registered = await active_model(conn)
    if registered is None:
        return None
    return load(registered.path)


async def corrections(conn: asyncpg.Connection) -> list[Example]:
    rows = await conn.fetch(
        """SELECT text, final_category FROM routing_correction
           WHERE final_category IS NOT NULL ORDER BY id"""
    )
    return [Example(r["text"], r["final_category"], "correction") for r in rows]


@dataclass(frozen=True)
class TrainOutcome:
    model: TrainedModel
    path: Path
    activated: bool
    new_macro_f1: float
    active_macro_f1: float | None
    corrections: int


async def train_and_register(
    conn: asyncpg.Connection,
    models_dir: Path,
    *,
    examples: list[Example] | None = None,
    evaluation: list[Example] | None = None,
    with_corrections: bool = False,
    seed: int = 0,
    now: datetime | None = None,
    n_jobs: int | None = None,
) -> TrainOutcome:
    """Train, save, register; activate unless it scores lower than the active model.

    Both are scored on the same fixed evaluation split, which neither trained on.
    """
    examples = load_examples(TRAINING_DATA) if examples is None else examples
    evaluation = load_examples(EVALUATION_DATA) if evaluation is None else evaluation
    extra = await corrections(conn) if with_corrections else []
    model = train(examples, extra=extra, seed=seed, now=now, n_jobs=n_jobs)
    # Absolute, so any working directory can load it. (Training blocks anyway: this runs in
    # `lapor train`, never inside the server's event loop.)
    path = model.save(models_dir.resolve())  # noqa: ASYNC240
    new_score = evaluate(model, evaluation).macro_f1
    current = await load_active(conn)
    current_score = evaluate(current, evaluation).macro_f1 if current is not None else None
    await register(conn, model, path)
    activated = current_score is None or new_score >= current_score
    if activated:
        await activate(conn, model.version)
    return TrainOutcome(model, path, activated, new_score, current_score, len(extra))
