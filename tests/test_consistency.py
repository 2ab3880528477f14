"""Issue 17 §6, consistency: the desk never suggests an agency that refused the complaint, and
the SLA's words say a deadline has passed once it has, whatever the hour."""

from __future__ import annotations

import pytest
from classifier_corpus import TRAINED_AT, synthetic_examples
from lifecycle_helpers import act
from officer_helpers import give_passwords, login

from classifier.model import train
from lapor.routing import ClassifierRouter, next_ranked
from lapor.web.keys import SERVICES

ROAD = "Dengan hormat, kami laporkan jalan berlubang besar di jalan melati."


@pytest.fixture(scope="module")
def small_model():
    return train(synthetic_examples(), seed=0, now=TRAINED_AT)


@pytest.fixture
async def routed_client(aiohttp_client, settings, clock, city, small_model):
    from lapor.web.app import create_app

    app = create_app(settings, clock=clock, city=city, router=ClassifierRouter(city, small_model))
    return await aiohttp_client(app)


# ------------------------------------------------------------------- the desk and refusals


def test_the_prediction_ranks_every_category_best_first(small_model):
    prediction = small_model.predict(ROAD)
    ranked = [code for code, _ in prediction.ranking]
    assert ranked[:3] == [code for code, _ in prediction.suggestions]
    assert sorted(ranked) == sorted(small_model.labels)
    probabilities = [p for _, p in prediction.ranking]
    assert probabilities == sorted(probabilities, reverse=True)


def test_next_ranked_drops_the_refused_agency_and_the_desk(city):
    ranked = [("jalan", 0.6), ("drainase", 0.2), ("lainnya", 0.1), ("sampah", 0.05)]
    assert next_ranked(city, ranked, {"DPUPR"}) == [("sampah", 0.05)]
    assert next_ranked(city, ranked, (), limit=2) == [("jalan", 0.6), ("drainase", 0.2)]


async def test_a_complaint_refused_by_dpupr_never_gets_dpupr_suggested_again(
    routed_client, accounts
):
    services = routed_client.app[SERVICES]
    filed = await routed_client.post("/api/v1/complaints", json={"text": ROAD})
    code = (await filed.json())["tracking_code"]
    assert (await filed.json())["agency"] == "DPUPR"
    refused = await act(routed_client, code, accounts["dpupr"], "not_ours")
    assert refused.status == 200, await refused.text()

    response = await routed_client.get("/api/v1/desk", headers=accounts["desk"].headers)
    assert response.status == 200, await response.text()
    (item,) = (await response.json())["items"]
    assert item["refused_agencies"] == ["DPUPR"]
    agencies = [s["agency"] for s in item["suggestions"]]
    assert len(agencies) == 3 and "DPUPR" not in agencies
    # Without the refusal the model's first choice would have been DPUPR's.
    assert (
        services.city.categories[services.router.route(ROAD, None).predicted_category].agency
        == "DPUPR"
    )

    await give_passwords(services, accounts)
    await login(routed_client, "desk")
    html = await (await routed_client.get("/petugas/meja")).text()
    suggested = {c for c in services.city.categories if f'name="category" value="{c}"' in html}
    assert suggested and not {c for c in suggested if c in ("jalan", "drainase")}
    assert services.city.agencies["DPUPR"].name in html  # named as the one that refused


async def test_the_desk_api_is_for_the_desk(routed_client, accounts):
    response = await routed_client.get("/api/v1/desk", headers=accounts["dpupr"].headers)
    assert response.status == 403
