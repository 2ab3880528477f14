"""The registry of trained routing models: which exist, which one routes, and retraining."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import asyncpg
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from classifier.dataset import Example, load_examples
from classifier.evaluation import Evaluation, evaluate
from classifier.model import TrainedModel, load, train
from lapor import i18n
from lapor.db import repository_root
from lapor.errors import NotFound, ValidationFailed
from lapor.repo import locks
from lapor.repo import models as repo
from lapor.routing import ClassifierRouter
from lapor.scheduler import ScheduledJob

if TYPE_CHECKING:
    from lapor.city import CityConfig
    from lapor.context import Services
    from lapor.settings import Settings

log = logging.getLogger(__name__)

DATA_DIR = repository_root() / "classifier" / "data"
# The generated corpus (one author: the generators) and the texts of the human-like authors.
TRAINING_DATA = DATA_DIR / "complaints.jsonl"
AUTHORS_DIR = DATA_DIR / "authors"
# Never trained on, by authors who never saw the corpus or its generators: the frozen set on
# which a retrained model must not do worse, and whose figures the README shows first.
INDEPENDENT_DATA = DATA_DIR / "independent.jsonl"
EVALUATION_DATA = INDEPENDENT_DATA
# The older hand-written holdout shares its author with the generators: shown for contrast.
OWN_HOLDOUT = DATA_DIR / "holdout.jsonl"
# An officer's decision at the desk is real text with a checked label: it counts this many
# times a written example.
DESK_WEIGHT = 3.0


def training_examples() -> list[Example]:
    """The generated corpus and every author's file under AUTHORS_DIR.

    The generated corpus has one author, its generators (its sources are their style
    families): cross-validation holds it out whole, like any other author.
    """
    examples = [replace(e, author="generator") for e in load_examples(TRAINING_DATA)]
    for path in sorted(AUTHORS_DIR.glob("*.jsonl")):
        examples.extend(load_examples(path))
    return examples


@dataclass(frozen=True)
class RegisteredModel:
    version: str
    path: str
    threshold: float
    macro_f1: float | None
    created_at: datetime
    active: bool
    metadata: dict[str, Any]
    corrections_until: int | None = None  # the newest correction it learned from
    independent_accuracy: float | None = None
    independent_precision: float | None = None
    independent_coverage: float | None = None


def _registered(row: asyncpg.Record) -> RegisteredModel:
    return RegisteredModel(
        row["version"],
        row["path"],
        row["threshold"],
        row["macro_f1"],
        row["created_at"],
        row["active"],
        row["metadata"],
        row["corrections_until"],
        row["independent_accuracy"],
        row["independent_precision"],
        row["independent_coverage"],
    )


async def register(
    conn: asyncpg.Connection,
    model: TrainedModel,
    path: Path,
    *,
    independent: Evaluation | None = None,
    corrections_until: int | None = None,
) -> None:
    await repo.insert(
        conn,
        model.version,
        str(path),
        model.metadata,
        model.threshold,
        model.metrics["grouped_cv"]["macro_f1"],
        corrections_until,
        None if independent is None else independent.accuracy,
        None if independent is None else independent.precision_at_threshold,
        None if independent is None else independent.coverage,
    )


async def activate(conn: asyncpg.Connection, version: str) -> None:
    async with conn.transaction():
        if not await repo.exists(conn, version):
            raise NotFound(f"no model version {version!r}")
        await repo.make_active(conn, version)
    log.info("model activated version=%s", version)


async def switch(services: Services, version: str) -> RegisteredModel:
    """Activate a version and route with it from the next complaint on, in this process.

    The file is loaded before the registry changes, so a model that cannot be read is never
    made active. Other running instances pick it up when they restart.
    """
    async with services.pool.acquire() as conn:
        row = await repo.get(conn, version)
    if row is None:
        raise NotFound(i18n.t("problem.model_version_unknown", version=repr(version[:60])))
    registered = _registered(row)
    try:
        model = await asyncio.to_thread(load, registered.path)  # joblib reads and unpickles
    except Exception as error:  # missing or unreadable file: say so, keep the active model
        log.warning("model not loadable version=%s error=%s", version, type(error).__name__)
        raise ValidationFailed.on(
            "version",
            i18n.t("problem.model_file_unreadable", version=version, path=registered.path),
        ) from None
    async with services.pool.acquire() as conn:
        await activate(conn, version)
    services.router = ClassifierRouter(services.city, model)
    return registered


async def list_models(conn: asyncpg.Connection) -> list[RegisteredModel]:
    rows = await repo.all_models(conn)
    return [_registered(r) for r in rows]


async def active_model(conn: asyncpg.Connection) -> RegisteredModel | None:
    row = await repo.active(conn)
    return None if row is None else _registered(row)


async def has_active_model(conn: asyncpg.Connection) -> bool:
    return await repo.any_active(conn)


async def load_active(conn: asyncpg.Connection) -> TrainedModel | None:
    registered = await active_model(conn)
    if registered is None:
        return None
    return load(registered.path)


async def corrections(conn: asyncpg.Connection, until: int | None = None) -> list[Example]:
    """Officers' decisions as training rows, weighted DESK_WEIGHT, oldest first."""
    until = await repo.newest_correction(conn) if until is None else until
    if until is None:
        return []
    rows = sorted(await repo.corrections(conn, until), key=lambda r: r["id"])
    return [
        Example(r["text"], r["final_category"], "desk", author="desk", weight=DESK_WEIGHT)
        for r in rows
    ]


def no_worse(new: Evaluation, current: Evaluation | None) -> bool:
    """Whether a new model may replace the current one, judged on the independent set: its
    accuracy no lower, and what it routes alone no less precise (within one text in 100)."""
    if current is None:
        return True
    new_precision = new.precision_at_threshold or 0.0
    current_precision = current.precision_at_threshold or 0.0
    return new.accuracy >= current.accuracy and new_precision >= current_precision - 0.01


@dataclass(frozen=True)
class TrainOutcome:
    model: TrainedModel
    path: Path
    activated: bool
    new: Evaluation
    active: Evaluation | None
    corrections: int


def train_and_score(
    models_dir: Path,
    *,
    examples: list[Example] | None,
    extra: list[Example],
    evaluation: list[Example] | None,
    active_path: str | None,
    seed: int,
    now: datetime | None,
    n_jobs: int | None,
) -> tuple[TrainedModel, Path, Evaluation, Evaluation | None]:
    """The blocking part of retraining, run in a CLI or a child process: train, save, and
    score the new and the active model on the independent set."""
    examples = training_examples() if examples is None else examples
    evaluation = load_examples(INDEPENDENT_DATA) if evaluation is None else evaluation
    model = train(examples, extra=extra, seed=seed, now=now, n_jobs=n_jobs)
    path = model.save(models_dir.resolve())
    new = evaluate(model, evaluation)
    current = None
    if active_path is not None:
        try:
            current = evaluate(load(active_path), evaluation)
        except (OSError, TypeError, ValueError, EOFError) as error:  # gone or unreadable
            log.warning("active model not loadable path=%s error=%s", active_path, error)
    return model, path, new, current


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
    """Train, save, register; activate unless it does worse than the active model on the
    independent set (see `no_worse`). Blocks while training: for `lapor train`; the server
    retrains through `retrain`, in a child process."""
    until = await repo.newest_correction(conn) if with_corrections else None
    extra = await corrections(conn, until) if until is not None else []
    active = await active_model(conn)
    model, path, new, current = train_and_score(
        models_dir,
        examples=examples,
        extra=extra,
        evaluation=evaluation,
        active_path=None if active is None else active.path,
        seed=seed,
        now=now,
        n_jobs=n_jobs,
    )
    return await _register_and_judge(conn, model, path, new, current, until, len(extra))


async def _register_and_judge(
    conn: asyncpg.Connection,
    model: TrainedModel,
    path: Path,
    new: Evaluation,
    current: Evaluation | None,
    until: int | None,
    n_corrections: int,
) -> TrainOutcome:
    await register(conn, model, path, independent=new, corrections_until=until)
    activated = no_worse(new, current)
    if activated:
        await activate(conn, model.version)
    log.info(
        "model trained version=%s corrections=%d accuracy=%.3f active_accuracy=%s activated=%s",
        model.version,
        n_corrections,
        new.accuracy,
        "-" if current is None else f"{current.accuracy:.3f}",
        activated,
    )
    return TrainOutcome(model, path, activated, new, current, n_corrections)


async def retrain(
    services: Services,
    models_dir: Path,
    *,
    examples: list[Example] | None = None,
    evaluation: list[Example] | None = None,
    now: datetime | None = None,
) -> TrainOutcome | None:
    """The nightly job: when officers have decided something since the active model was
    trained, train with their corrections in a child process (the event loop keeps serving),
    and route with the new model at once if it is no worse on the independent set.

    One instance at a time (a session advisory lock); None when there was nothing new or
    another instance is at it.
    """
    async with services.pool.acquire() as conn:
        if not await locks.try_named_lock(conn, RETRAIN_LOCK):
            return None
        try:
            until = await repo.newest_correction(conn)
            active = await active_model(conn)
            learned = None if active is None else active.corrections_until
            if until is None or (learned is not None and until <= learned):
                return None
            extra = await corrections(conn, until)
            loop = asyncio.get_running_loop()
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
                model, path, new, current = await loop.run_in_executor(
                    pool,
                    partial(
                        train_and_score,
                        models_dir,
                        examples=examples,
                        extra=extra,
                        evaluation=evaluation,
                        active_path=None if active is None else active.path,
                        seed=0,
                        now=now,
                        n_jobs=1,
                    ),
                )
            outcome = await _register_and_judge(conn, model, path, new, current, until, len(extra))
        finally:
            await locks.named_unlock(conn, RETRAIN_LOCK)
    if outcome.activated:
        services.router = ClassifierRouter(services.city, outcome.model)
    return outcome


RETRAIN_LOCK = "lapor.job.models.retrain"


class ActiveModelFollower:
    """Keeps this instance routing with the registry's active model when another instance
    (the nightly retrain, an admin's switch) changes it. The first look only remembers."""

    def __init__(self) -> None:
        self._seen: str | None = None
        self._looked = False

    async def __call__(self, services: Services) -> str | None:
        async with services.pool.acquire() as conn:
            registered = await active_model(conn)
        version = None if registered is None else registered.version
        first, self._looked = not self._looked, True
        if first or version == self._seen or registered is None:
            self._seen = version
            return None
        current = getattr(services.router, "model", None)
        if current is None or current.version != version:
            model = await asyncio.to_thread(load, registered.path)
            services.router = ClassifierRouter(services.city, model)
            log.info("model followed version=%s", version)
        self._seen = version
        return version


def jobs(settings: Settings, city: CityConfig) -> tuple[ScheduledJob, ...]:
    """Learning from the desk: the nightly retrain and following the active model."""
    return (
        ScheduledJob(
            "models.retrain",
            partial(retrain, models_dir=settings.data_dir / "models"),
            # 02:30 city time: after the day's decisions, before the offices open.
            CronTrigger(hour=2, minute=30, timezone=city.timezone),
            "retrain with officers' corrections; activate only if no worse",
            run_at_start=False,
        ),
        ScheduledJob(
            "models.follow_active",
            ActiveModelFollower(),
            IntervalTrigger(minutes=1, timezone=UTC),
            "route with the model another instance activated",
        ),
    )
