"""Satisfaction surveys: invited once after resolution, answered on a chat channel through the
bot engine or on the signed web form, "Belum" reopens, one reminder, then expiry."""

from __future__ import annotations

import asyncio
import itertools
import re
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest
from helpers import VALID

from bots.engine import Engine, Incoming
from bots.survey import register
from lapor import complaints, i18n, ikm, lifecycle, reports, surveys
from lapor.auth import reporter_token

CHAT = "7001"
_ids = itertools.count(1)
# The fixture clock: Monday 23 November 2026, 09:00 in Jakarta.
AFTER_DELAY = timedelta(hours=1, minutes=1)


async def filed_on_chat(services, *, anonim: bool = False, chat_id: str = CHAT) -> str:
    intake = complaints.parse_intake(
        {"text": VALID["text"], "category": "jalan", "anonim": anonim},
        channel="telegram",
        category_codes=list(services.city.categories),
        chat_id=chat_id,
    )
    return (await complaints.file_complaint(services, intake)).tracking_code


async def filed_on_web(services, reporter: dict) -> str:
    intake = complaints.parse_intake(
        {"text": VALID["text"], "category": "jalan", "reporter": reporter},
        channel="web",
        category_codes=list(services.city.categories),
    )
    return (await complaints.file_complaint(services, intake)).tracking_code


async def resolve(services, accounts, code: str) -> None:
    await lifecycle.act(
        services,
        code,
        lifecycle.ActionRequest("resolve", note="Lubang sudah ditambal."),
        officer=accounts["dpupr"].officer,
    )


async def fetch(services, sql: str, *args):
    async with services.pool.acquire() as conn:
        return await conn.fetch(sql, *args)


async def survey_messages(services) -> list:
    return await fetch(
        services,
        "SELECT channel, recipient, payload, dedupe_key FROM outbox WHERE kind = 'survey' ORDER BY id",
    )


async def survey_of(services, code: str):
    rows = await fetch(
        services,
        """SELECT s.* FROM survey s JOIN complaint c ON c.id = s.complaint_id
           WHERE c.tracking_code = $1""",
        code,
    )
    return rows[0] if rows else None


@pytest.fixture
def engine(services) -> Engine:
    engine = Engine(services, media={})
    register(engine)
    return engine


async def tap(engine: Engine, data: str, chat_id: str = CHAT) -> None:
    await engine.handle(
        Incoming(
            channel="telegram",
            chat_id=chat_id,
            message_id=f"s{next(_ids)}",
            kind="choice",
            choice=data,
        )
    )


async def invited(services, clock, accounts, **filing) -> tuple[str, int]:
    code = await filed_on_chat(services, **filing)
    await resolve(services, accounts, code)
    clock.advance(AFTER_DELAY)
    assert await surveys.send_due_surveys(services) == 1
    return code, (await survey_of(services, code))["id"]


async def say(engine: Engine, text: str, chat_id: str = CHAT) -> None:
    await engine.handle(
        Incoming(
            channel="telegram",
            chat_id=chat_id,
            message_id=f"s{next(_ids)}",
            kind="text",
            text=text,
        )
    )


# The default city asks about a road (jalan) seven elements: no persyaratan (U1), no biaya (U4).
ROAD = ("U2", "U3", "U5", "U6", "U7", "U8", "U9")


def step_of(element: str) -> int:
    return ikm.ELEMENT_CODES.index(element) + 1


async def answer_elements(
    engine, survey_id: int, scores: list[int], first: str = "sudah.4"
) -> None:
    """The first question (fixed and rated), the offer taken, then the road's elements."""
    await tap(engine, f"survey:{survey_id}:0:{first}")
    await tap(engine, f"survey:{survey_id}:{surveys.OFFER_STEP}:ya")
    for element, score in zip(ROAD, scores, strict=False):
        await tap(engine, f"survey:{survey_id}:{step_of(element)}:{score}")


async def answer_all(engine, survey_id: int, scores: list[int], comment: str | None = None):
    """The first question, the road's elements, then the comment typed (or Lewati tapped)."""
    await answer_elements(engine, survey_id, scores)
    if comment is None:
        await tap(engine, f"survey:{survey_id}:{surveys.COMMENT_STEP}:skip")
    else:
        await say(engine, comment)


def elements_of(row) -> dict[str, int | None]:
    return {code: row[code.lower()] for code in ikm.ELEMENT_CODES}


async def conversation_of(services, chat_id: str = CHAT):
    rows = await fetch(
        services, "SELECT state, draft FROM bot_conversation WHERE chat_id = $1", chat_id
    )
    return rows[0] if rows else None


async def bot_replies(services) -> list[str]:
    rows = await fetch(services, "SELECT payload FROM outbox WHERE kind = 'bot_reply' ORDER BY id")
    return [row["payload"]["text"] for row in rows]


# ------------------------------------------------------------------------------ invitations


async def test_the_invitation_waits_for_the_delay(services, clock, accounts):
    code = await filed_on_chat(services)
    await resolve(services, accounts, code)
    clock.advance(timedelta(minutes=30))
    assert await surveys.send_due_surveys(services) == 0
    clock.advance(timedelta(minutes=31))
    assert await surveys.send_due_surveys(services) == 1
    [message] = await survey_messages(services)
    assert (message["channel"], message["recipient"]) == ("telegram", CHAT)
    assert (
        "Apakah masalah Anda sudah selesai, dan seberapa puas Anda?" in message["payload"]["text"]
    )
    assert [label for label, _ in message["payload"]["buttons"]] == [
        "Sudah, sangat puas",
        "Sudah, puas",
        "Sudah, kurang puas",
        "Sudah, tidak puas",
        "Belum selesai",
        "Tidak tahu",
    ]


async def test_no_invitation_outside_office_hours(services, clock, accounts):
    clock.set(datetime(2026, 11, 23, 8, 30, tzinfo=UTC))  # 15:30 in Jakarta
    code = await filed_on_chat(services)
    await resolve(services, accounts, code)
    clock.advance(AFTER_DELAY)  # 16:31, after closing
    assert await surveys.send_due_surveys(services) == 0
    clock.set(datetime(2026, 11, 24, 1, 0, tzinfo=UTC))  # Tuesday 08:00
    assert await surveys.send_due_surveys(services) == 1


async def test_a_complaint_is_never_surveyed_twice(services, clock, accounts, engine):
    code, survey_id = await invited(services, clock, accounts)
    # Two sweeps at once, then one more: still one survey and one invitation.
    await asyncio.gather(surveys.send_due_surveys(services), surveys.send_due_surveys(services))
    await surveys.send_due_surveys(services)
    await tap(engine, f"survey:{survey_id}:0:belum")
    await resolve(services, accounts, code)  # resolved a second time
    clock.advance(AFTER_DELAY)
    assert await surveys.send_due_surveys(services) == 0
    assert len(await fetch(services, "SELECT id FROM survey")) == 1
    assert len([m for m in await survey_messages(services) if m["dedupe_key"].endswith(":q0")]) == 1


async def test_concurrent_sweeps_invite_exactly_once(services, clock, accounts):
    code = await filed_on_chat(services)
    await resolve(services, accounts, code)
    clock.advance(AFTER_DELAY)
    counts = await asyncio.gather(*(surveys.send_due_surveys(services) for _ in range(3)))
    assert sum(counts) == 1
    assert len(await survey_messages(services)) == 1


async def test_a_reporter_without_a_contact_gets_no_survey(services, clock, accounts):
    code = await filed_on_web(services, {"name": "Siti", "phone": "081234567890"})
    await resolve(services, accounts, code)
    clock.advance(AFTER_DELAY)
    assert await surveys.send_due_surveys(services) == 0
    assert (await survey_of(services, code))["status"] == "no_contact"
    assert await survey_messages(services) == []


# ------------------------------------------------------------------------------ chat


async def test_one_question_is_recorded_at_once_then_the_questionnaire_is_offered(
    services, clock, accounts, engine
):
    code, survey_id = await invited(services, clock, accounts)

    await tap(engine, f"survey:{survey_id}:0:sudah.3")

    # The first answer is a response already: fixed, rated 3, no element yet.
    [row] = await fetch(services, "SELECT * FROM survey_response")
    assert (row["fixed"], row["rating"], row["agency_code"]) == ("sudah", 3, "DPUPR")
    assert set(elements_of(row).values()) == {None}
    assert row["month"].isoformat() == "2026-11-01" and row["complaint_id"] is not None
    offer = (await survey_messages(services))[-1]["payload"]
    assert offer["text"] == i18n.t("survey.chat.offer", count=7)
    assert [label for label, _ in offer["buttons"]] == ["Ya, isi survei", "Tidak, cukup"]

    await tap(engine, f"survey:{survey_id}:{surveys.OFFER_STEP}:tidak")

    assert (await bot_replies(services))[-1] == i18n.t("survey.thanks")
    survey = await survey_of(services, code)
    assert (survey["status"], survey["response_id"]) == ("answered", None)
    assert len(await survey_messages(services)) == 2  # the invitation and the offer: no more
    # Nobody answered an element: no IKM respondent, the rating stays on its own.
    report = await reports.build_report(services, date(2026, 11, 1))
    assert report.current[None].ikm == ikm.IkmResult(respondents=0)


async def test_the_questionnaire_asks_only_the_elements_of_the_category_and_ikm_counts_them(
    services, clock, accounts, engine
):
    code, survey_id = await invited(services, clock, accounts)
    scores = [4, 3, 3, 2, 4, 4, 1]
    await answer_all(engine, survey_id, scores)

    _invitation, _offer, *questions, comment = await survey_messages(services)
    assert len(questions) == 7
    assert comment["payload"]["text"] == i18n.t("survey.ask_comment")
    for number, (question, element) in enumerate(zip(questions, ROAD, strict=True), start=1):
        subject = i18n.t(f"ikm.{element}.subject")
        assert question["payload"]["text"] == i18n.t(
            "survey.ask_element", number=number, total=7, subject=subject
        )
        labels = [label for label, _ in question["payload"]["buttons"]]
        assert labels == list(ikm.ANSWER_LABELS[element])
        assert question["recipient"] == CHAT
    texts = " ".join(q["payload"]["text"] for q in questions)
    assert "persyaratan" not in texts and "biaya" not in texts  # a road costs nothing
    [row] = await fetch(services, "SELECT * FROM survey_response")
    assert elements_of(row) == {"U1": None, "U4": None, **dict(zip(ROAD, scores, strict=True))}
    assert (row["fixed"], row["rating"], row["category_code"]) == ("sudah", 4, "jalan")
    survey = await survey_of(services, code)
    assert (survey["status"], survey["response_id"], list(survey["scores"])) == (
        "answered",
        None,
        [],
    )
    assert (await bot_replies(services))[-1] == i18n.t("survey.thanks")
    # The month's IKM, from the SQL sums: seven elements, each weighing 1/7, not 1/9.
    month = (await reports.build_report(services, date(2026, 11, 1))).current[None].ikm
    assert (month.respondents, set(month.nrr)) == (1, set(ROAD))
    assert month.ikm == Fraction(sum(scores), 7)


async def test_a_second_tap_on_an_answered_question_changes_nothing(
    services, clock, accounts, engine
):
    _, survey_id = await invited(services, clock, accounts)
    await tap(engine, f"survey:{survey_id}:0:sudah.4")
    await tap(engine, f"survey:{survey_id}:0:sudah.1")  # the first question, again
    await tap(engine, f"survey:{survey_id}:{surveys.OFFER_STEP}:ya")
    await tap(engine, f"survey:{survey_id}:2:4")
    await tap(engine, f"survey:{survey_id}:2:1")  # the same question, again
    await tap(engine, f"survey:{survey_id}:1:1")  # U1: not asked of a road
    [survey] = await fetch(services, "SELECT step FROM survey")
    assert survey["step"] == 3
    [row] = await fetch(services, "SELECT rating, u1, u2 FROM survey_response")
    assert tuple(row) == (4, None, 4)


async def test_another_chat_cannot_answer_the_survey(services, clock, accounts, engine):
    _, survey_id = await invited(services, clock, accounts)
    await tap(engine, f"survey:{survey_id}:0:belum", chat_id="9999")
    [survey] = await fetch(services, "SELECT status, step FROM survey")
    assert (survey["status"], survey["step"]) == ("sent", 0)


async def test_belum_reopens_the_complaint(services, clock, accounts, engine):
    code, survey_id = await invited(services, clock, accounts)
    await tap(engine, f"survey:{survey_id}:0:belum")
    [complaint] = await fetch(
        services, "SELECT id, status, agency_code FROM complaint WHERE tracking_code = $1", code
    )
    assert (complaint["status"], complaint["agency_code"]) == ("assigned", "DPUPR")
    [event] = await fetch(
        services,
        "SELECT actor_kind, public_note FROM complaint_event WHERE complaint_id = $1 AND kind = 'reopen'",
        complaint["id"],
    )
    assert (event["actor_kind"], event["public_note"]) == ("reporter", i18n.t("survey.reopen_note"))
    assert (await survey_of(services, code))["status"] == "reopened"
    assert await fetch(services, "SELECT 1 FROM survey_response") == []


async def test_an_anonim_reporters_answers_are_stored_without_the_complaint(
    services, clock, accounts, engine
):
    _, survey_id = await invited(services, clock, accounts, anonim=True)
    await answer_elements(engine, survey_id, [3, 3, 2, 3, 3, 3, 3])
    # While the questionnaire is answered the survey points at the response...
    [survey] = await fetch(services, "SELECT response_id FROM survey")
    assert survey["response_id"] is not None
    await tap(engine, f"survey:{survey_id}:{surveys.COMMENT_STEP}:skip")
    await tap(engine, f"survey:{survey_id}:5:4")  # after the end: nothing changes
    [row] = await fetch(services, "SELECT * FROM survey_response")
    assert row["complaint_id"] is None
    assert (row["agency_code"], row["category_code"], row["month"].isoformat()) == (
        "DPUPR",
        "jalan",
        "2026-11-01",
    )
    assert (row["u1"], row["u2"], row["u5"]) == (None, 3, 2)
    # ...and once it ends, nothing leads from the complaint to the anonim reporter's answers.
    [survey] = await fetch(services, "SELECT response_id, status FROM survey")
    assert tuple(survey) == (None, "answered")
    columns = {
        r["column_name"]
        for r in await fetch(
            services,
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'survey_response'",
        )
    }
    assert not columns & {"reporter_id", "survey_id", "created_at"}


async def test_a_comment_typed_after_the_last_answer_is_stored_with_the_answers(
    services, clock, accounts, engine
):
    code, survey_id = await invited(services, clock, accounts)
    await answer_all(engine, survey_id, [2] * 7, comment="Petugas datang cepat, terima kasih!")

    [row] = await fetch(services, "SELECT comment, u2, u1, complaint_id FROM survey_response")
    assert (row["comment"], row["u2"], row["u1"]) == (
        "Petugas datang cepat, terima kasih!",
        2,
        None,
    )
    assert row["complaint_id"] is not None
    assert (await survey_of(services, code))["status"] == "answered"
    assert (await bot_replies(services))[-1] == i18n.t("survey.thanks")
    assert await conversation_of(services) == ("idle", None)  # no report started from it


async def test_typing_lewati_instead_of_tapping_it_finishes_without_a_comment(
    services, clock, accounts, engine
):
    _, survey_id = await invited(services, clock, accounts)
    await answer_all(engine, survey_id, [3] * 7, comment="Lewati")
    [row] = await fetch(services, "SELECT comment FROM survey_response")
    assert row["comment"] is None
    assert (await bot_replies(services))[-1] == i18n.t("survey.thanks")


async def test_text_after_the_survey_is_finished_starts_a_report(services, clock, accounts, engine):
    _, survey_id = await invited(services, clock, accounts)
    await answer_all(engine, survey_id, [4] * 7, comment="Bagus.")

    await say(engine, "Lampu jalan di Jl. Melati 4 mati sejak tiga hari, gelap sekali malam.")

    conversation = await conversation_of(services)
    assert conversation["state"] == "confirm"  # what and where: straight to the summary
    assert conversation["draft"]["text"].startswith("Lampu jalan di Jl. Melati")
    [row] = await fetch(services, "SELECT comment FROM survey_response")
    assert row["comment"] == "Bagus."


async def test_an_open_report_draft_keeps_its_text_while_the_comment_waits(
    services, clock, accounts, engine
):
    _, survey_id = await invited(services, clock, accounts)
    await answer_elements(engine, survey_id, [3] * 7)  # asked for the comment, chat idle
    await engine.handle(
        Incoming(
            channel="telegram",
            chat_id=CHAT,
            message_id=f"s{next(_ids)}",
            kind="command",
            command="lapor",
        )
    )
    report = "Saluran air di depan SDN 2 tersumbat sampah, air meluap ke jalan."

    await say(engine, report)

    assert (await conversation_of(services))["draft"]["text"] == report
    [survey] = await fetch(services, "SELECT status, step FROM survey")
    assert (survey["status"], survey["step"]) == ("answering", surveys.COMMENT_STEP)
    [row] = await fetch(services, "SELECT comment FROM survey_response")
    assert row["comment"] is None
    # Once the report is cancelled, the next text is the comment again.
    await say(engine, "batal")
    await say(engine, "Terima kasih, sudah beres.")
    [row] = await fetch(services, "SELECT comment FROM survey_response")
    assert row["comment"] == "Terima kasih, sudah beres."


async def test_a_survey_answered_in_the_middle_of_a_report_ends_without_asking_a_comment(
    services, clock, accounts, engine
):
    _, survey_id = await invited(services, clock, accounts)
    report = "Trotoar di Jl. Kenanga ambles sepanjang dua meter dekat halte bus."
    await say(engine, report)

    await answer_elements(engine, survey_id, [4] * 7)

    assert [m["payload"]["text"] for m in await survey_messages(services)][-1].startswith(
        "Pertanyaan 7 dari 7"
    )
    assert (await bot_replies(services))[-1] == i18n.t("survey.thanks")
    [row] = await fetch(services, "SELECT comment, u9 FROM survey_response")
    assert tuple(row) == (None, 4)
    conversation = await conversation_of(services)
    assert (conversation["state"], conversation["draft"]["text"]) == ("confirm", report)


async def test_a_survey_left_half_way_is_recorded_as_answered_never_reminded(
    services, clock, accounts, engine
):
    code, survey_id = await invited(services, clock, accounts)
    await answer_elements(engine, survey_id, [1, 2, 3], first="tidak_tahu")

    clock.advance(timedelta(days=3, hours=1))  # the first question was answered: no reminder
    assert await surveys.remind_and_expire_surveys(services) == surveys.SweepResult(0, 0, 0)
    clock.advance(timedelta(days=3))
    result = await surveys.remind_and_expire_surveys(services)

    assert (result.reminded, result.expired, result.completed) == (0, 0, 1)
    [row] = await fetch(services, "SELECT * FROM survey_response")
    assert (row["fixed"], row["rating"], row["comment"]) == ("tidak_tahu", None, None)
    assert elements_of(row) == dict.fromkeys(ikm.ELEMENT_CODES) | {"U2": 1, "U3": 2, "U5": 3}
    assert (await survey_of(services, code))["status"] == "answered"


async def test_a_survey_begun_before_the_upgrade_carries_on_with_its_kept_answers(
    services, clock, accounts, engine
):
    # Answered under the nine-question survey: fixed, U1 and U2 kept on the survey row.
    _, survey_id = await invited(services, clock, accounts)
    async with services.pool.acquire() as conn:
        await conn.execute(
            """UPDATE survey SET status = 'answering', step = 3, fixed = 'sudah',
                      scores = '{4,3}' WHERE id = $1""",
            survey_id,
        )

    await tap(engine, f"survey:{survey_id}:3:2")
    await tap(engine, f"survey:{survey_id}:5:4")  # U4 is not asked of a road any more
    await tap(engine, f"survey:{survey_id}:{surveys.COMMENT_STEP}:skip")

    [row] = await fetch(services, "SELECT * FROM survey_response")
    assert elements_of(row) == dict.fromkeys(ikm.ELEMENT_CODES) | {
        "U1": 4,
        "U2": 3,
        "U3": 2,
        "U5": 4,
    }
    assert (row["fixed"], row["rating"]) == ("sudah", None)


async def test_a_typed_comment_ends_the_survey_when_the_engine_passes_text(
    services, clock, accounts
):
    code, survey_id = await invited(services, clock, accounts)
    async with services.pool.acquire() as conn, conn.transaction():
        await surveys.answer_choice(
            services, conn, "telegram", CHAT, f"survey:{survey_id}:0:tidak_tahu"
        )
        await surveys.answer_choice(
            services, conn, "telegram", CHAT, f"survey:{survey_id}:{surveys.OFFER_STEP}:ya"
        )
        for element in ROAD:
            await surveys.answer_choice(
                services, conn, "telegram", CHAT, f"survey:{survey_id}:{step_of(element)}:2"
            )
        assert await surveys.answer_comment(services, conn, "telegram", "other", "hai") is None
        prompts = await surveys.answer_comment(
            services, conn, "telegram", CHAT, "  Petugasnya cepat, terima kasih.  "
        )
    assert prompts == [surveys.Prompt(i18n.t("survey.thanks"))]
    [row] = await fetch(services, "SELECT fixed, comment, u9 FROM survey_response")
    assert tuple(row) == ("tidak_tahu", "Petugasnya cepat, terima kasih.", 2)
    last = (await survey_messages(services))[-1]
    assert last["payload"]["buttons"] == [["Lewati", f"survey:{survey_id}:10:skip"]]


# ------------------------------------------------------------------------------ reminder


async def test_one_reminder_after_three_days_then_the_survey_expires(
    services, clock, accounts, engine
):
    code, survey_id = await invited(services, clock, accounts)
    clock.advance(timedelta(days=2, hours=23))
    assert await surveys.remind_and_expire_surveys(services) == surveys.SweepResult(0, 0)
    clock.advance(timedelta(hours=1))  # Thursday, three days after the invitation
    assert await surveys.remind_and_expire_surveys(services) == surveys.SweepResult(1, 0)
    assert await surveys.remind_and_expire_surveys(services) == surveys.SweepResult(0, 0)
    reminder = (await survey_messages(services))[-1]
    assert reminder["dedupe_key"] == f"survey:{survey_id}:reminder"
    assert reminder["payload"]["text"].startswith("Pengingat:")
    assert "seberapa puas Anda?" in reminder["payload"]["text"]  # the first question again
    assert len(reminder["payload"]["buttons"]) == 6
    clock.advance(timedelta(days=3))
    assert await surveys.remind_and_expire_surveys(services) == surveys.SweepResult(0, 1)
    assert (await survey_of(services, code))["status"] == "expired"
    await tap(engine, f"survey:{survey_id}:0:sudah.4")
    replies = await fetch(services, "SELECT payload FROM outbox WHERE kind = 'bot_reply'")
    assert replies[-1]["payload"]["text"] == i18n.t("survey.survey_closed")
    assert await fetch(services, "SELECT 1 FROM survey_response") == []


# ------------------------------------------------------------------------------ web form


async def web_invitation(services, clock, accounts) -> tuple[str, str]:
    code = await filed_on_web(services, {"name": "Siti", "email": "siti.r@contoh.id"})
    await resolve(services, accounts, code)
    clock.advance(AFTER_DELAY)
    assert await surveys.send_due_surveys(services) == 1
    [message] = await survey_messages(services)
    assert (message["channel"], message["recipient"]) == ("email", "siti.r@contoh.id")
    url = message["payload"]["url"]
    assert url in message["payload"]["text"] and message["payload"]["subject"]
    return code, url.removeprefix("http://lapor.test")


def full_form(**overrides) -> dict[str, str]:
    return {
        "fixed": "sudah",
        "rating": "3",
        **{f"u{i}": "4" for i in range(1, 10)},
        "comment": "",
        **overrides,
    }


async def test_the_signed_web_form_records_answers_once(client, services, clock, accounts):
    code, path = await web_invitation(services, clock, accounts)
    page = await client.get(path)
    html = await page.text()
    assert page.status == 200
    assert "Apakah masalah Anda sudah selesai?" in html and "Sangat sopan dan ramah" in html
    assert i18n.t("survey.chat.web_rating") in html and "Sangat puas" in html
    # A road: the form asks no persyaratan (U1) and no biaya (U4).
    assert 'name="u2"' in html and 'name="u1"' not in html and 'name="u4"' not in html

    unrated = await client.post(path, data=full_form(rating=""))
    assert unrated.status == 422
    assert await fetch(services, "SELECT 1 FROM survey_response") == []

    done = await client.post(path, data=full_form(u3="", u9="2", comment="Cepat sekali."))
    assert done.status == 200 and "Terima kasih" in await done.text()
    [row] = await fetch(services, "SELECT * FROM survey_response")
    assert (row["rating"], row["comment"]) == (3, "Cepat sekali.")
    # u3 left blank, u1 and u4 not asked of a road (sent anyway: not kept)
    assert elements_of(row) == {
        "U1": None, "U2": 4, "U3": None, "U4": None, "U5": 4, "U6": 4, "U7": 4, "U8": 4, "U9": 2
    }  # fmt: skip

    again = await client.post(path, data=full_form())
    assert again.status == 410
    assert (await client.get(path)).status == 410
    assert len(await fetch(services, "SELECT 1 FROM survey_response")) == 1


async def test_belum_on_the_web_form_reopens(client, services, clock, accounts):
    code, path = await web_invitation(services, clock, accounts)
    response = await client.post(path, data={"fixed": "belum"})
    assert response.status == 200
    view = await complaints.public_view(
        services, code, complaints.Viewer(token=reporter_token(services.secret_key, code))
    )
    assert view["status"] == "assigned"


async def test_a_forged_or_expired_link_is_refused(client, services, clock, accounts):
    _, path = await web_invitation(services, clock, accounts)
    survey_id, expires, signature = path.removeprefix("/survei/").split(".")
    forged = f"/survei/{int(survey_id) + 1}.{expires}.{signature}"
    assert (await client.get(forged)).status == 404
    longer = f"/survei/{survey_id}.{int(expires) + 86400}.{signature}"
    assert (await client.get(longer)).status == 404
    clock.advance(timedelta(days=7))
    assert (await client.get(path)).status == 410
    assert re.fullmatch(r"\d+\.\d+\.[A-Za-z0-9_-]+", path.removeprefix("/survei/"))
