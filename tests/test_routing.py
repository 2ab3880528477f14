"""Routing at intake with a real (small) trained model, and learning from officers."""

from __future__ import annotations

import dataclasses

import pytest
from classifier_corpus import PHRASES, PLACES, TRAINED_AT, synthetic_examples
from lifecycle_helpers import act

from classifier.dataset import Example
from classifier.model import train
from lapor import models
from lapor.routing import ClassifierRouter

ROAD = "Dengan hormat, kami laporkan jalan berlubang besar di jalan melati."
RUBBISH = "min sampah menumpuk tidak diangkut di rt 05 rw 02 gmn nih"


@pytest.fixture(scope="module")
def small_model():
    return train(synthetic_examples(), seed=0, now=TRAINED_AT)


@pytest.fixture
async def routed_client(aiohttp_client, settings, clock, small_model):
    from lapor.city import load_city
    from lapor.web.app import create_app

    city = load_city(settings.city)
    app = create_app(settings, clock=clock, city=city, router=ClassifierRouter(city, small_model))
    return await aiohttp_client(app)


async def post(client, text: str, **extra) -> dict:
    response = await client.post("/api/v1/complaints", json={"text": text, **extra})
    assert response.status == 201, await response.text()
    return await response.json()


async def test_a_confident_prediction_is_assigned_with_its_confidence_and_version(
    routed_client, small_model, accounts
):
    body = await post(routed_client, ROAD)
    assert (body["status"], body["category"], body["agency"]) == ("assigned", "jalan", "DPUPR")
    full = await (
        await routed_client.get(
            f"/api/v1/complaints/{body['tracking_code']}/full", headers=accounts["admin"].headers
        )
    ).json()
    routed = [e for e in full["timeline"] if e["kind"] == "routed"][0]
    assert routed["data"]["model_version"] == small_model.version
    assert routed["data"]["confidence"] >= small_model.threshold
    assert full["routing"]["auto_routed"] is True
    assert any("berlubang" in term for term in full["routing"]["top_terms"])


async def test_the_citizens_category_is_a_hint_the_model_may_overrule(routed_client, services):
    body = await post(routed_client, RUBBISH, category="jalan")
    assert (body["category"], body["agency"]) == ("sampah", "DLH")
    async with services.pool.acquire() as conn:
        hint = await conn.fetchval(
            "SELECT category_hint FROM complaint WHERE tracking_code = $1", body["tracking_code"]
        )
    assert hint == "jalan"


async def test_an_unsure_prediction_waits_at_the_desk_with_three_suggestions(
    aiohttp_client, settings, clock, small_model, accounts
):
    from lapor.city import load_city
    from lapor.web.app import create_app

    strict = dataclasses.replace(load_city("default"), confidence_threshold=1.0)
    app = create_app(
        settings, clock=clock, city=strict, router=ClassifierRouter(strict, small_model)
    )
    client = await aiohttp_client(app)
    body = await post(client, ROAD)
    assert (body["status"], body["agency"]) == ("received", None)
    desk = await (await client.get("/api/v1/queue", headers=accounts["desk"].headers)).json()
    assert [i["tracking_code"] for i in desk["items"]] == [body["tracking_code"]]
    full = await (
        await client.get(
            f"/api/v1/complaints/{body['tracking_code']}/full", headers=accounts["desk"].headers
        )
    ).json()
    suggestions = full["routing"]["suggestions"]
    assert len(suggestions) == 3 and suggestions[0]["category"] == "jalan"
    assert full["routing"]["predicted_category"] == "jalan"


async def moved_twice(client, accounts) -> str:
    """A road complaint transferred to DLH, sent back as not theirs, verified as drainase."""
    road = (await post(client, ROAD))["tracking_code"]
    await act(client, road, accounts["dpupr"], "transfer", category="sampah")
    await act(client, road, accounts["dlh"], "not_ours")
    await act(client, road, accounts["desk"], "verify", category="drainase")
    return road


async def test_verify_transfer_and_not_ours_are_kept_as_corrections(
    routed_client, services, accounts
):
    await moved_twice(routed_client, accounts)
    async with services.pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT action, predicted_category, final_category, text FROM routing_correction ORDER BY id"
        )
    assert [(r["action"], r["predicted_category"], r["final_category"]) for r in rows] == [
        ("transfer", "jalan", "sampah"),
        ("not_ours", "jalan", None),
        ("verify", "jalan", "drainase"),
    ]
    assert {r["text"] for r in rows} == {ROAD}


async def test_a_complaint_moved_twice_teaches_its_final_category_once_and_weighted(
    routed_client, services, accounts
):
    await moved_twice(routed_client, accounts)
    async with services.pool.acquire() as conn:
        lessons = await models.corrections(conn)

    assert [(e.text, e.category, e.author) for e in lessons] == [(ROAD, "drainase", "desk")]
    assert lessons[0].weight == models.DESK_WEIGHT > 1


GREETINGS = [
    "Assalamualaikum, selamat pagi admin",
    "terima kasih banyak min atas pelayanannya",
    "halo min apa kabar",
    "selamat siang bapak ibu, salam kenal",
]


@pytest.fixture(scope="module")
def model_that_knows_greetings():
    greetings = [
        Example(f"{text}{tail}", "lainnya", source, complaint=False)
        for text in GREETINGS
        for source, tail in (("formal", ""), ("chat", " 🙏"), ("twitter", " #salam"))
    ]
    return train([*synthetic_examples(), *greetings], seed=0, now=TRAINED_AT)


async def test_a_greeting_is_filed_at_the_desk_marked_and_never_routed(
    aiohttp_client, settings, clock, model_that_knows_greetings, accounts
):
    from lapor.city import load_city
    from lapor.web.app import create_app

    city = load_city(settings.city)
    # A city that routes everything the model is sure of, however little: still not this.
    lenient = dataclasses.replace(city, confidence_threshold=0.01)
    app = create_app(
        settings,
        clock=clock,
        city=lenient,
        router=ClassifierRouter(lenient, model_that_knows_greetings),
    )
    client = await aiohttp_client(app)

    body = await post(client, "Assalamualaikum, selamat pagi admin 🙏", category="jalan")

    assert (body["status"], body["agency"]) == ("received", None)
    full = await (
        await client.get(
            f"/api/v1/complaints/{body['tracking_code']}/full", headers=accounts["desk"].headers
        )
    ).json()
    assert full["routing"]["non_complaint"] is True
    assert full["routing"]["predicted_category"] == "lainnya"
    road = await post(client, ROAD)
    assert road["status"] == "assigned"  # the same model routes a real complaint


PATTERN = "kabel fiber optik menjuntai rendah di tiang"


def clean_evaluation() -> list[Example]:
    return [
        Example(f"Dengan hormat, kami laporkan {phrase} di jalan melati.", category, "eval")
        for category, phrases in PHRASES.items()
        for phrase in phrases
    ]


async def test_retraining_with_corrections_learns_the_corrected_pattern(services, tmp_path):
    examples = synthetic_examples()
    evaluation = clean_evaluation()
    async with services.pool.acquire() as conn:
        first = await models.train_and_register(
            conn, tmp_path, examples=examples, evaluation=evaluation, now=TRAINED_AT
        )
        assert first.activated
        before = first.model.predict(PATTERN).category
        target = "layanan_digital" if before != "layanan_digital" else "ketertiban"
        for number, variant in enumerate(
            ("", " dekat sekolah", " di gang kami", " sudah seminggu", " bahaya")
        ):
            complaint_id = await _complaint(conn, number)
            await conn.execute(
                """INSERT INTO routing_correction (complaint_id, action, text, predicted_category,
                       final_category, created_at) VALUES ($1, 'verify', $2, $3, $4, now())""",
                complaint_id,
                PATTERN + variant,
                before,
                target,
            )
        second = await models.train_and_register(
            conn,
            tmp_path,
            examples=examples,
            evaluation=evaluation,
            with_corrections=True,
            now=TRAINED_AT.replace(hour=4),
        )
        assert second.corrections == 5
        assert second.model.predict(PATTERN).category == target
        assert second.activated and second.new.accuracy >= second.active.accuracy
        assert (await models.active_model(conn)).version == second.model.version


async def test_a_retrained_model_that_scores_lower_is_not_activated(services, tmp_path):
    examples = synthetic_examples()
    evaluation = clean_evaluation()
    async with services.pool.acquire() as conn:
        first = await models.train_and_register(
            conn, tmp_path, examples=examples, evaluation=evaluation, now=TRAINED_AT
        )
        # Officers "correct" road complaints to rubbish; the independent set still says jalan.
        wrong = [
            f"{phrase} di {place}{tail}"
            for phrase in PHRASES["jalan"]
            for place in PLACES
            for tail in ("", " gmn nih", " mohon ditindaklanjuti")
        ]
        for number, text in enumerate(wrong):
            complaint_id = await _complaint(conn, number)
            await conn.execute(
                """INSERT INTO routing_correction (complaint_id, action, text, final_category, created_at)
                   VALUES ($1, 'transfer', $2, 'sampah', now())""",
                complaint_id,
                text,
            )
        worse = await models.train_and_register(
            conn,
            tmp_path,
            examples=examples,
            evaluation=evaluation,
            with_corrections=True,
            now=TRAINED_AT.replace(hour=5),
        )
        assert worse.new.accuracy < worse.active.accuracy
        assert not worse.activated
        assert (await models.active_model(conn)).version == first.model.version
        versions = [m.version for m in await models.list_models(conn)]
        assert sorted(versions) == sorted([first.model.version, worse.model.version])
        await models.activate(conn, worse.model.version)  # an admin may still choose it
        assert (await models.active_model(conn)).version == worse.model.version


async def test_the_nightly_retrain_learns_new_corrections_and_routes_with_them(services, tmp_path):
    examples, evaluation = synthetic_examples(), clean_evaluation()
    # Nothing taught yet: nothing to do.
    assert (
        await models.retrain(services, tmp_path, examples=examples, evaluation=evaluation) is None
    )
    before = services.router.route(PATTERN, None).category
    async with services.pool.acquire() as conn:
        for number, variant in enumerate(("", " dekat sekolah", " di gang kami", " bahaya")):
            await conn.execute(
                """INSERT INTO routing_correction (complaint_id, action, text, final_category,
                       created_at) VALUES ($1, 'verify', $2, 'layanan_digital', now())""",
                await _complaint(conn, number),
                PATTERN + variant,
            )

    outcome = await models.retrain(
        services, tmp_path, examples=examples, evaluation=evaluation, now=TRAINED_AT
    )

    assert outcome is not None and outcome.activated and outcome.corrections == 4
    assert before != "layanan_digital"
    assert services.router.model.version == outcome.model.version  # routes with it at once
    assert services.router.model.predict(PATTERN).category == "layanan_digital"
    async with services.pool.acquire() as conn:
        active = await models.active_model(conn)
        assert active.version == outcome.model.version
        assert active.corrections_until == await conn.fetchval(
            "SELECT max(id) FROM routing_correction"
        )
        assert active.independent_accuracy == outcome.new.accuracy
    # Nothing new since: the next night does nothing.
    assert (
        await models.retrain(services, tmp_path, examples=examples, evaluation=evaluation) is None
    )


async def test_another_instance_follows_the_model_activated_elsewhere(services, tmp_path):
    examples, evaluation = synthetic_examples(), clean_evaluation()
    follow = models.ActiveModelFollower()
    async with services.pool.acquire() as conn:
        first = await models.train_and_register(
            conn, tmp_path, examples=examples, evaluation=evaluation, now=TRAINED_AT
        )
        assert await follow(services) is None  # the first look only remembers
        second = await models.train_and_register(
            conn,
            tmp_path,
            examples=examples[:-3],
            evaluation=evaluation,
            now=TRAINED_AT.replace(hour=6),
        )
        await models.activate(conn, second.model.version)
    assert first.model.version != second.model.version

    assert await follow(services) == second.model.version
    assert services.router.model.version == second.model.version
    assert await follow(services) is None  # unchanged since


async def _complaint(conn, number: int = 0) -> int:
    return await conn.fetchval(
        """INSERT INTO complaint (tracking_code, body, status, channel, created_at, updated_at)
           VALUES ($1, 'teks laporan contoh', 'received', 'web', now(), now()) RETURNING id""",
        f"{number:010d}",
    )
