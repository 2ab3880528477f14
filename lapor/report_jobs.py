"""The scheduled jobs of surveys and reports, for lapor.scheduler: thin wrappers, fixed ids."""

from __future__ import annotations

from datetime import UTC, timedelta
from functools import partial

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from lapor import report_files, surveys
from lapor.city import CityConfig
from lapor.scheduler import ScheduledJob
from lapor.settings import Settings


def survey_policy(settings: Settings) -> surveys.SurveyPolicy:
    return surveys.SurveyPolicy(delay=timedelta(minutes=settings.survey_delay_minutes))


def jobs(settings: Settings, city: CityConfig) -> tuple[ScheduledJob, ...]:
    policy = survey_policy(settings)
    return (
        ScheduledJob(
            "surveys.invite",
            partial(surveys.send_due_surveys, policy=policy),
            IntervalTrigger(minutes=5, timezone=UTC),
            "ask reporters of resolved complaints the satisfaction survey",
        ),
        ScheduledJob(
            "surveys.remind",
            partial(surveys.remind_and_expire_surveys, policy=policy),
            IntervalTrigger(minutes=30, timezone=UTC),
            "remind unanswered surveys once, expire old ones",
        ),
        ScheduledJob(
            "reports.monthly",
            partial(report_files.monthly_job, reports_dir=settings.data_dir / "reports"),
            # The 1st at 07:00 city time; at start too, which writes a missed month once.
            CronTrigger(day=1, hour=7, minute=0, timezone=city.timezone),
            "the monthly report of the month before, city-wide and per agency",
        ),
    )
