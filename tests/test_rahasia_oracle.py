"""A rahasia complaint is an unknown code to anyone not allowed to see it: the same status and
the same bytes on every route, so no answer confirms that the code exists."""

from __future__ import annotations

import pytest
from helpers import form, png_bytes
from lifecycle_helpers import act, file

from lapor import tracking

FORGED = {"Authorization": "Bearer lpr_forged"}


async def answer(response) -> tuple[int, bytes]:
    return response.status, await response.read()


async def rahasia_with_photo(client) -> dict:
    response = await client.post(
        "/api/v1/complaints",
        data=form(
            {
                "text": "Jalan berlubang besar di depan sekolah dasar",
                "category": "jalan",
                "rahasia": "true",
            },
            [("a.png", png_bytes(seed=5))],
        ),
    )
    assert response.status == 201
    return await response.json()


@pytest.mark.parametrize("who", ["nobody", "forged token", "another agency"])
async def test_the_public_view_of_a_rahasia_complaint_is_an_unknown_codes(client, accounts, who):
    secret = (await file(client, rahasia=True))["tracking_code"]
    unknown = tracking.new_code()
    headers = {"nobody": {}, "forged token": FORGED, "another agency": accounts["dlh"].headers}
    for path in ("/api/v1/complaints/{}", "/api/v1/complaints/{}/full"):
        if path.endswith("full") and who != "another agency":
            continue
        hidden = await answer(await client.get(path.format(secret), headers=headers[who]))
        missing = await answer(await client.get(path.format(unknown), headers=headers[who]))
        assert hidden[0] == 404
        assert hidden == missing


async def test_the_status_page_of_a_rahasia_complaint_is_an_unknown_codes(client):
    secret = (await file(client, rahasia=True))["tracking_code"]
    unknown = tracking.new_code()
    hidden = await answer(await client.get(f"/lacak/{secret}"))
    missing = await answer(await client.get(f"/lacak/{unknown}"))
    assert hidden[0] == missing[0] == 404
    # The page gives back the code that was typed, and otherwise the same bytes.
    assert hidden[1].replace(secret.encode(), b"KODE") == missing[1].replace(
        unknown.encode(), b"KODE"
    )


@pytest.mark.parametrize("who", ["nobody", "forged token", "another agency"])
async def test_a_rahasia_complaints_photo_is_an_unknown_codes(client, accounts, who):
    secret = (await rahasia_with_photo(client))["tracking_code"]
    headers = {"nobody": {}, "forged token": FORGED, "another agency": accounts["dlh"].headers}
    for position in (1, 2):  # a photo that exists, and one that does not
        hidden = await answer(
            await client.get(f"/api/v1/complaints/{secret}/photos/{position}", headers=headers[who])
        )
        missing = await answer(
            await client.get(
                f"/api/v1/complaints/{tracking.new_code()}/photos/{position}", headers=headers[who]
            )
        )
        assert hidden[0] == 404
        assert hidden == missing


@pytest.mark.parametrize("who", ["nobody", "forged token", "another agency"])
@pytest.mark.parametrize("action", ["start", "close", "merge"])
async def test_acting_on_a_rahasia_complaint_unseen_is_acting_on_an_unknown_code(
    client, accounts, who, action
):
    secret = (await file(client, rahasia=True))["tracking_code"]
    other = (await file(client))["tracking_code"]
    headers = {"nobody": {}, "forged token": FORGED, "another agency": accounts["dlh"].headers}
    body = {"action": action, **({"duplicate_of": other} if action == "merge" else {})}

    async def post(code: str) -> tuple[int, bytes]:
        url = f"/api/v1/complaints/{code}/actions"
        return await answer(await client.post(url, json=body, headers=headers[who]))

    hidden, missing = await post(secret), await post(tracking.new_code())
    assert hidden[0] == 404
    assert hidden == missing


async def test_merging_into_a_rahasia_complaint_does_not_publish_its_code(client, accounts):
    secret = (await file(client, rahasia=True))["tracking_code"]  # jalan: DPUPR
    duplicate = (await file(client))["tracking_code"]
    response = await act(client, duplicate, accounts["dpupr"], "merge", duplicate_of=secret)
    assert response.status == 200, await response.text()
    public = await client.get(f"/api/v1/complaints/{duplicate}")
    page = await client.get(f"/lacak/{duplicate}")
    for text in (await public.text(), await page.text()):
        assert secret not in text and tracking.display(secret) not in text
    view = await public.json()
    assert view["duplicate_of"] is None
    assert view["timeline"][-1]["note"] == "Digabung dengan laporan lain yang sama."
    # The officers who may see the original still find the link, and the internal record.
    full = await (
        await client.get(f"/api/v1/complaints/{duplicate}/full", headers=accounts["dpupr"].headers)
    ).json()
    assert full["duplicate_of"] == secret
    assert full["timeline"][-1]["data"]["duplicate_of"] == secret


async def test_a_rahasia_original_of_another_agency_is_an_unknown_original(client, accounts):
    secret = (await file(client, rahasia=True, category="sampah"))["tracking_code"]  # DLH
    duplicate = (await file(client))["tracking_code"]  # DPUPR
    unknown = tracking.new_code()
    officer = accounts["dpupr"]
    hidden = await act(client, duplicate, officer, "merge", duplicate_of=secret)
    missing = await act(client, duplicate, officer, "merge", duplicate_of=unknown)
    assert hidden.status == missing.status == 422
    hidden_text = (await hidden.text()).replace(tracking.display(secret), "KODE")
    missing_text = (await missing.text()).replace(tracking.display(unknown), "KODE")
    assert hidden_text == missing_text


@pytest.mark.parametrize(
    ("action", "fields", "status"),
    [("transfer", {"agency": "DLH"}, "assigned"), ("not_ours", {}, "received")],
)
async def test_an_officer_who_moves_a_rahasia_complaint_away_gets_the_result(
    client, accounts, action, fields, status
):
    secret = (await file(client, rahasia=True))["tracking_code"]  # DPUPR
    response = await act(client, secret, accounts["dpupr"], action, **fields)
    assert response.status == 200, await response.text()
    view = await response.json()
    assert view["tracking_code"] == secret
    assert view["status"] == status
    assert view["timeline"][-1]["kind"] == action
    assert "text" not in view and "reporter" not in view
    # ...and afterwards it is out of their sight like any other agency's rahasia complaint.
    later = await client.get(f"/api/v1/complaints/{secret}", headers=accounts["dpupr"].headers)
    assert later.status == 404
