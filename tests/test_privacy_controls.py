"""Issue 14's controls: hiding a photo (never deleting it), officer API tokens that expire and
can be revoked, reporter tokens the reporter can revoke, and passwords that are not easy to
guess."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from helpers import VALID, form, png_bytes
from lifecycle_helpers import act
from officer_helpers import give_passwords, login, post_form

from lapor import auth, demo, officers
from lapor.errors import ValidationFailed

STRONG = "kuda-biru-makan-tahu-7"


async def file_with_photos(client, count: int = 2, **fields) -> dict:
    photos = [(f"{n}.png", png_bytes(seed=n + 1)) for n in range(count)]
    response = await client.post(
        "/api/v1/complaints",
        data=form({"text": VALID["text"], "category": "jalan", **fields}, photos),
    )
    assert response.status == 201, await response.text()
    return await response.json()


async def hide(client, code: str, position: int, account, **body):
    return await client.post(
        f"/api/v1/complaints/{code}/photos/{position}/hide",
        json=body,
        headers=account.headers,
    )


async def events(services, code: str, kind: str) -> list:
    async with services.pool.acquire() as conn:
        return await conn.fetch(
            """SELECT e.* FROM complaint_event e JOIN complaint c ON c.id = e.complaint_id
               WHERE c.tracking_code = $1 AND e.kind = $2""",
            code,
            kind,
        )


# --------------------------------------------------------------------------- hidden photos


async def test_a_hidden_photo_disappears_for_the_public_and_stays_for_officers(
    immediate_client, accounts, services
):
    client = immediate_client  # published at intake: the photos are public at once
    filed = await file_with_photos(client)
    code, token = filed["tracking_code"], filed["access_token"]
    public = await (await client.get(f"/api/v1/complaints/{code}")).json()
    assert [p["position"] for p in public["photos"]] == [1, 2]
    unknown = await client.get(f"/api/v1/complaints/{code}/photos/9")
    assert unknown.status == 404

    response = await hide(client, code, 1, accounts["dpupr"], reason="Wajah warga terlihat jelas.")
    assert response.status == 200, await response.text()
    officer_view = await response.json()
    assert [(p["position"], p["hidden"]) for p in officer_view["photos"]] == [(1, True), (2, False)]

    public = await (await client.get(f"/api/v1/complaints/{code}")).json()
    assert [p["position"] for p in public["photos"]] == [2]
    page = await (await client.get(f"/lacak/{code}")).text()
    assert f"/api/v1/complaints/{code}/photos/2" in page
    assert f"/api/v1/complaints/{code}/photos/1" not in page
    reporter = {"Authorization": f"Bearer {token}"}
    for size in ("", "?size=thumb", "?size=display"):
        for headers in ({}, reporter):
            gone = await client.get(f"/api/v1/complaints/{code}/photos/1{size}", headers=headers)
            assert gone.status == 404  # the same answer as for a photo that never was
            assert (await gone.json())["detail"] == (await unknown.json())["detail"]
    assert (await client.get(f"/api/v1/complaints/{code}/photos/2")).status == 200
    seen = await client.get(f"/api/v1/complaints/{code}/photos/1", headers=accounts["desk"].headers)
    assert seen.status == 200  # never deleted: officers still see it

    hidden = await events(services, code, "moderate")
    assert [e["internal_note"] for e in hidden] == ["Wajah warga terlihat jelas."]
    assert "moderate" not in [e["kind"] for e in public["timeline"]]
    log = await client.get("/api/v1/moderation", headers=accounts["admin"].headers)
    entry = (await log.json())["items"][0]
    assert (entry["tracking_code"], entry["reason"], entry["changed"]) == (
        code,
        "Wajah warga terlihat jelas.",
        ["photo"],
    )
    assert "disembunyikan" in entry["after"]["photo"]


async def test_hiding_a_photo_needs_a_reason_an_existing_photo_and_the_complaints_agency(
    immediate_client, accounts, services
):
    client = immediate_client
    code = (await file_with_photos(client, 1))["tracking_code"]

    refused = await hide(client, code, 1, accounts["dpupr"], reason="  ")
    assert refused.status == 422
    assert refused.content_type == "application/problem+json"
    assert [e["field"] for e in (await refused.json())["errors"]] == ["reason"]
    refused = await hide(client, code, 1, accounts["dpupr"], reason="x", extra="y")
    assert [e["field"] for e in (await refused.json())["errors"]] == ["extra"]
    assert (await hide(client, code, 4, accounts["dpupr"], reason="Tidak ada.")).status == 404
    assert (await hide(client, code, 1, accounts["dlh"], reason="Bukan kami.")).status == 403
    anonymous = await client.post(f"/api/v1/complaints/{code}/photos/1/hide", json={"reason": "x"})
    assert anonymous.status == 401
    assert await events(services, code, "moderate") == []  # nothing written by any of these
    public = await (await client.get(f"/api/v1/complaints/{code}")).json()
    assert [p["position"] for p in public["photos"]] == [1]

    assert (await hide(client, code, 1, accounts["desk"], reason="Data pribadi.")).status == 200
    again = await hide(client, code, 1, accounts["dpupr"], reason="Lagi.")
    assert again.status == 422
    assert [e["field"] for e in (await again.json())["errors"]] == ["position"]
    assert len(await events(services, code, "moderate")) == 1


async def test_an_officer_hides_a_photo_on_the_complaint_page_and_the_admin_reads_why(
    immediate_client, accounts, services
):
    client = immediate_client
    code = (await file_with_photos(client, 2))["tracking_code"]
    await give_passwords(services, accounts)
    await login(client, "dpupr")
    path = f"/petugas/laporan/{code}/foto/2/sembunyikan"

    missing = await post_form(client, path, {"reason": ""})
    assert missing.status == 422
    assert 'id="hide-reason-2"' in await missing.text()
    done = await post_form(client, path, {"reason": "Nomor rumah pelapor terbaca."})
    assert done.status == 303
    page = await (await client.get(done.headers["Location"])).text()
    assert "Foto disembunyikan dari publik" in page
    assert "disembunyikan dari publik</span>" in page
    public = await (await client.get(f"/api/v1/complaints/{code}")).json()
    assert [p["position"] for p in public["photos"]] == [1]

    await client.post("/petugas/keluar", data={"csrf_token": ""})
    client.session.cookie_jar.clear()
    await login(client, "admin")
    log = await (await client.get("/petugas/admin/moderasi")).text()
    assert "Nomor rumah pelapor terbaca." in log and "Foto 2" in log


# ------------------------------------------------------------------------ officer tokens


async def new_token(services, account, **options) -> dict[str, str]:
    async with services.pool.acquire() as conn:
        token = await auth.issue_token(
            conn, account.officer.id, now=services.clock.now(), **options
        )
    return {"Authorization": f"Bearer {token}"}


async def answers(client, headers) -> int:
    return (await client.get("/api/v1/queue", headers=headers)).status


async def test_an_officer_token_expires(client, accounts, services, clock):
    headers = await new_token(services, accounts["dpupr"], lifetime=timedelta(days=30))
    assert await answers(client, headers) == 200
    clock.advance(timedelta(days=29, hours=23))
    assert await answers(client, headers) == 200
    clock.advance(timedelta(hours=1))
    response = await client.get("/api/v1/queue", headers=headers)
    assert response.status == 401
    assert "kedaluwarsa" in (await response.json())["detail"]


async def test_an_officer_revokes_the_token_they_use_and_only_that_one(client, accounts, services):
    first = await new_token(services, accounts["dpupr"])
    other = accounts["dpupr"].headers
    response = await client.delete("/api/v1/tokens/current", headers=first)
    assert response.status == 204
    assert await answers(client, first) == 401
    assert await answers(client, other) == 200
    assert (await client.delete("/api/v1/tokens/current", headers=first)).status == 401
    assert (await client.delete("/api/v1/tokens/current")).status == 401


async def test_the_admin_revokes_an_officers_tokens_by_api_and_on_the_admin_page(
    client, accounts, services
):
    dpupr, dlh = accounts["dpupr"], accounts["dlh"]
    second = await new_token(services, dpupr)
    path = f"/api/v1/officers/{dpupr.officer.id}/tokens"
    assert (await client.delete(path, headers=dlh.headers)).status == 403
    assert await answers(client, second) == 200  # the refusal revoked nothing
    response = await client.delete(path, headers=accounts["admin"].headers)
    assert response.status == 200
    assert await response.json() == {"revoked": 2}
    assert await answers(client, dpupr.headers) == 401
    assert await answers(client, second) == 401
    assert await answers(client, dlh.headers) == 200
    assert (
        await client.delete("/api/v1/officers/999999/tokens", headers=accounts["admin"].headers)
    ).status == 404

    await give_passwords(services, accounts)
    await login(client, "admin")
    done = await post_form(client, f"/petugas/admin/petugas/{dlh.officer.id}/token", {})
    assert done.status == 303 and "selesai=token" in done.headers["Location"]
    assert await answers(client, dlh.headers) == 401


async def test_a_new_password_or_a_deactivation_ends_the_officers_tokens(
    client, accounts, services
):
    dpupr, dlh = accounts["dpupr"], accounts["dlh"]
    await officers.set_password(services, dpupr.officer.id, STRONG)
    assert await answers(client, dpupr.headers) == 401
    assert await answers(client, dlh.headers) == 200

    await officers.set_active(services, accounts["admin"].officer, dlh.officer.id, False)
    assert await answers(client, dlh.headers) == 401
    await officers.set_active(services, accounts["admin"].officer, dlh.officer.id, True)
    assert await answers(client, dlh.headers) == 401  # reactivation does not bring it back
    assert await answers(client, await new_token(services, dlh)) == 200


async def test_lapor_token_issues_a_token_living_lapor_token_days(
    accounts, services, run_lapor, monkeypatch
):
    monkeypatch.setenv("LAPOR_TOKEN_DAYS", "7")
    status, out, _ = await run_lapor("token", "dlh")
    assert status == 0
    token = out.strip()
    async with services.pool.acquire() as conn:
        lifetime = await conn.fetchval(
            "SELECT expires_at - created_at FROM api_token WHERE token_sha256 = $1",
            hashlib.sha256(token.encode()).hexdigest(),
        )
    assert lifetime == timedelta(days=7)
    monkeypatch.setenv("LAPOR_TOKEN_DAYS", "0")
    status, _, err = await run_lapor("token", "dlh")
    assert status == 2 and "LAPOR_TOKEN_DAYS" in err


# ----------------------------------------------------------------------- reporter tokens


async def revoke(client, code: str, token: str | None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await client.post(f"/api/v1/complaints/{code}/token/revoke", headers=headers)


async def test_the_reporter_revokes_their_token_and_only_the_new_one_works(client, services):
    key = {"Idempotency-Key": "revoke-1"}
    response = await client.post("/api/v1/complaints", json={**VALID, "rahasia": True}, headers=key)
    filed = await response.json()
    code, old = filed["tracking_code"], filed["access_token"]
    view = f"/api/v1/complaints/{code}"
    assert (await client.get(view, headers={"Authorization": f"Bearer {old}"})).status == 200

    response = await revoke(client, code, old)
    assert response.status == 200
    new = (await response.json())["access_token"]
    assert new.startswith("lpr_") and new != old
    # A rahasia complaint answers the old token as an unknown code, as any bad token.
    assert (await client.get(view, headers={"Authorization": f"Bearer {old}"})).status == 404
    assert (await client.get(view, headers={"Authorization": f"Bearer {new}"})).status == 200
    assert (await revoke(client, code, old)).status == 404
    assert (await revoke(client, code, None)).status == 404
    # The same intake replayed hands back the token that works now.
    replay = await client.post("/api/v1/complaints", json={**VALID, "rahasia": True}, headers=key)
    assert (await replay.json())["access_token"] == new
    assert len(await events(services, code, "revoke_token")) == 1


async def test_a_revoked_reporter_token_can_no_longer_act_on_or_see_a_public_complaint(
    client, accounts
):
    filed = await file_with_photos(client, 1)  # not yet published: photos for reporter only
    code, old = filed["tracking_code"], filed["access_token"]
    assert (await revoke(client, code, None)).status == 401
    assert (await revoke(client, code, "lpr_bukan-token")).status == 403
    new = (await (await revoke(client, code, old)).json())["access_token"]
    photo = f"/api/v1/complaints/{code}/photos/1"
    assert (await client.get(photo, headers={"Authorization": f"Bearer {old}"})).status == 404
    assert (await client.get(photo, headers={"Authorization": f"Bearer {new}"})).status == 200

    await act(client, code, accounts["dpupr"], "resolve", note="Sudah ditambal.")
    closing = f"/api/v1/complaints/{code}/actions"
    with_old = await client.post(
        closing, json={"action": "close"}, headers={"Authorization": f"Bearer {old}"}
    )
    assert with_old.status == 403
    with_new = await client.post(
        closing, json={"action": "close"}, headers={"Authorization": f"Bearer {new}"}
    )
    assert with_new.status == 200
    assert (await with_new.json())["status"] == "closed"


# ---------------------------------------------------------------------------- passwords


@pytest.mark.parametrize(
    "password",
    ["password123456", "qwertyuiop123", "1234567890ab", "aaaaaaaaaaaa", "rina.dlh2026"],
)
def test_common_and_trivially_weak_passwords_are_refused_in_indonesian(password):
    with pytest.raises(ValidationFailed) as refused:
        officers.check_password(password, ("rina.dlh", "Rina Lestari"))
    assert refused.value.errors[0].field == "password"
    assert "mudah ditebak" in refused.value.errors[0].message


def test_the_officers_own_name_makes_a_password_weak():
    officers.check_password("rinalestari2026", ())  # a stranger's name: not known
    with pytest.raises(ValidationFailed):
        officers.check_password("rinalestari2026", ("rina.dlh", "Rina Lestari"))


async def test_lapor_officer_refuses_a_weak_password_and_writes_nothing(
    services, run_lapor, monkeypatch
):
    monkeypatch.setenv("LAPOR_OFFICER_PASSWORD", "password123456")
    status, _, err = await run_lapor(
        "officer", "add", "budi.dlh", "--role", "officer", "--agency", "DLH"
    )
    assert status == 2 and "mudah ditebak" in err
    async with services.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM officer") == 0
    monkeypatch.setenv("LAPOR_OFFICER_PASSWORD", STRONG)
    status, _, err = await run_lapor(
        "officer", "add", "budi.dlh", "--role", "officer", "--agency", "DLH"
    )
    assert status == 0, err
    monkeypatch.setenv("LAPOR_OFFICER_PASSWORD", "budi.dlh2026")
    status, _, err = await run_lapor("officer", "password", "budi.dlh")
    assert status == 2 and "mudah ditebak" in err


async def test_the_demo_citys_generated_passwords_pass(services):
    for account in await demo.create_accounts(services):
        officers.check_password(account.password, (account.username,))


async def test_the_admin_pages_refuse_a_weak_password_with_the_reason(client, accounts, services):
    await give_passwords(services, accounts)
    await login(client, "admin")
    dlh = accounts["dlh"].officer
    response = await post_form(
        client, f"/petugas/admin/petugas/{dlh.id}/sandi", {"password": "password123456"}
    )
    assert response.status == 422
    assert "mudah ditebak" in await response.text()
    response = await post_form(
        client,
        "/petugas/admin/petugas",
        {"username": "budi.dlh", "role": "officer", "agency": "DLH", "password": "budi.dlh12345"},
    )
    assert response.status == 422
    assert "mudah ditebak" in await response.text()
    async with services.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM officer WHERE username = 'budi.dlh'") == 0
    response = await post_form(
        client, f"/petugas/admin/petugas/{dlh.id}/sandi", {"password": STRONG}
    )
    assert response.status == 303


def test_production_passwords_are_argon2id_at_rfc_9106_cost():
    # The suite hashes with a cheap hasher (tests/conftest.py); what a city runs is this.
    hashed = PasswordHasher.from_parameters(auth.PASSWORD_PARAMETERS).hash(STRONG)
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert auth.verify_password(hashed, STRONG) and not auth.verify_password(hashed, "lain")
