"""Open311 GeoReport v2 at /open311/v2/: a client written here from the spec (it knows nothing
of lapor) files a request with a partner's api_key and follows it to its end, in JSON and in
XML; every answer holds exactly the spec's fields; errors come back in the spec's shape; and
the public pages' privacy rules hold (never rahasia, the public copy, no reporter)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import timedelta
from typing import Any

from helpers import VALID
from lifecycle_helpers import act, file

from lapor import open311, tracking
from lapor.ratelimit import Limit

# The spec's fields for each answer (GeoReport v2, and FixMyStreet's updates extension).
SERVICE = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
DEFINITION = {"service_code", "attributes"}
ATTRIBUTE = {
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
}
FILED = {"service_request_id", "token", "service_notice", "account_id"}
TOKEN = {"service_request_id", "token"}
REQUEST = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}
UPDATE = {
    "update_id",
    "service_request_id",
    "status",
    "updated_datetime",
    "description",
    "media_url",
}
DISCOVERY = {"changeset", "contact", "key_service", "endpoints"}
ERROR = {"code", "description"}
W3C_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
# Lists in GeoReport's XML, and the element each item is.
XML_LISTS = {
    "services": "service",
    "service_requests": "request",
    "service_request_updates": "request_update",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


def from_xml(element: ET.Element) -> Any:
    """GeoReport's XML back into JSON's shape (every leaf a string, or None when empty)."""
    if element.tag in XML_LISTS:
        assert all(child.tag == XML_LISTS[element.tag] for child in element), element.tag
        return [from_xml(child) for child in element]
    if len(element):
        return {child.tag: from_xml(child) for child in element}
    return element.text


def as_xml_text(value: Any) -> Any:
    """A JSON value as GeoReport's XML writes it."""
    if isinstance(value, list):
        return [as_xml_text(item) for item in value]
    if isinstance(value, dict):
        return {key: as_xml_text(inner) for key, inner in value.items()}
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value is None else str(value)


class GeoReport:
    """A GeoReport v2 client, as any city's partner would write one: it reads every answer in
    both formats and checks that they agree."""

    def __init__(self, http, base: str = "/open311/v2", api_key: str | None = None) -> None:
        self.http, self.base, self.api_key = http, base, api_key

    async def get(self, path: str, expect: int = 200, **query: str) -> Any:
        answers = {}
        for fmt in ("json", "xml"):
            response = await self.http.get(f"{self.base}/{path}.{fmt}", params=query)
            assert response.status == expect, (path, fmt, await response.text())
            answers[fmt] = await self._read(response, fmt)
        assert as_xml_text(answers["json"]) == answers["xml"], path
        return answers["json"]

    async def post(self, fmt: str = "json", expect: int = 200, **fields: str) -> Any:
        sent = {"api_key": self.api_key, **fields} if self.api_key else fields
        response = await self.http.post(f"{self.base}/requests.{fmt}", data=sent)
        assert response.status == expect, await response.text()
        return await self._read(response, fmt)

    @staticmethod
    async def _read(response, fmt: str) -> Any:
        if fmt == "json":
            assert response.content_type == "application/json"
            return await response.json()
        assert response.content_type == "text/xml" and response.charset == "utf-8"
        body = await response.read()
        assert body.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
        return from_xml(ET.fromstring(body))


def exactly(item: dict, fields: set[str]) -> None:
    assert set(item) == fields, set(item) ^ fields


async def test_a_client_files_a_request_and_follows_it_to_the_end(client, services, accounts):
    key = await open311.issue_key(services, "mitra-kota")
    georeport = GeoReport(client, api_key=key)

    discovery = await georeport.get("discovery")
    exactly(discovery, DISCOVERY)
    (endpoint,) = discovery["endpoints"]
    assert endpoint["url"] == "http://lapor.test/open311/v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]

    # The services are the city's categories, with their Indonesian names and groups.
    listed = await georeport.get("services")
    for service in listed:
        exactly(service, SERVICE)
    by_code = {service["service_code"]: service for service in listed}
    assert list(by_code) == list(services.city.categories)
    light = by_code["penerangan_jalan"]
    assert light["service_name"] == "Penerangan Jalan Umum (PJU)"
    assert light["group"] == "Prasarana dan utilitas" and light["metadata"] is True
    assert light["type"] == "realtime" and by_code["sampah"]["metadata"] is False
    definition = await georeport.get("services/penerangan_jalan")
    exactly(definition, DEFINITION)
    pole, state = definition["attributes"]
    exactly(pole, ATTRIBUTE)
    assert pole["code"] == "nomor_tiang" and pole["datatype"] == "string"
    assert state["datatype"] == "singlevaluelist"
    assert {value["key"] for value in state["values"]} == {"mati", "berkedip", "siang"}

    # Filing: the text carries a phone number and a NIK; the reporter comes with it.
    text = "Lampu PJU mati total sejak Senin. Hubungi 0812-3456-7890, NIK 3275011203890001."
    (filed,) = await georeport.post(
        service_code="penerangan_jalan",
        lat="-6.2383",
        long="106.9756",
        address_string="Jl. Kenanga depan masjid",
        description=text,
        first_name="Siti",
        last_name="Rahmawati",
        email="siti.r@contoh.id",
        phone="081234567890",
        device_id="perangkat-1",
        **{"attribute[nomor_tiang]": "PJU-0412", "attribute[kondisi_lampu]": "mati"},
    )
    exactly(filed, FILED)
    code = filed["service_request_id"]
    assert "Disperkim" in filed["service_notice"] and filed["account_id"] is None
    assert await georeport.get(f"tokens/{filed['token']}") == [
        {"service_request_id": code, "token": filed["token"]}
    ]
    # Filed as any complaint: routed by its category, its answers kept for the officers.
    full = await client.get(f"/api/v1/complaints/{code}/full", headers=accounts["admin"].headers)
    officer_view = await full.json()
    assert officer_view["channel"] == "open311" and officer_view["agency"]["code"] == "DISPERKIM"
    assert officer_view["attributes"] == {"nomor_tiang": "PJU-0412", "kondisi_lampu": "mati"}
    # As at any door, who leaves a phone or an address to be reached by is not anonim unless
    # they say so: the handling officers see the contact, the public never does.
    assert officer_view["anonim"] is False
    assert officer_view["reporter"]["email"] == "siti.r@contoh.id"

    # Before an officer verifies it, the request shows its status and nothing it says.
    (waiting,) = await georeport.get(f"requests/{code}")
    exactly(waiting, REQUEST)
    assert waiting["status"] == "open" and waiting["service_code"] == "penerangan_jalan"
    assert waiting["description"] is None and waiting["lat"] is None
    assert waiting["address"] is None and waiting["agency_responsible"]
    assert W3C_DATETIME.match(waiting["requested_datetime"])
    assert W3C_DATETIME.match(waiting["expected_datetime"])
    assert await georeport.get("requests") == []  # the list holds published ones only

    # The agency takes it up (which verifies it), then resolves it.
    assert (await act(client, code, accounts["admin"], "start")).status == 200
    note = "Lampu sudah diganti. Info: 0813 2222 4444."
    assert (await act(client, code, accounts["admin"], "resolve", note=note)).status == 200

    (done,) = await georeport.get(f"requests/{code}")
    assert done["status"] == "closed" and done["expected_datetime"] is None
    assert done["description"].startswith("Lampu PJU mati total sejak Senin.")
    assert "0812" not in done["description"] and "3275011203890001" not in done["description"]
    assert done["lat"] == -6.2383 and done["long"] == 106.9756
    assert done["status_notes"].startswith("Lampu sudah diganti.")
    assert "0813" not in done["status_notes"]
    assert "Siti" not in str(done) and "siti.r" not in str(done) and "PJU-0412" not in str(done)
    assert await georeport.get("requests", service_code="penerangan_jalan,jalan") == [done]
    assert await georeport.get("requests", status="closed") == [done]
    assert await georeport.get("requests", status="open") == []
    assert await georeport.get("requests", service_code="sampah") == []
    # Ids override every other argument; one that names nothing is simply not there.
    ids = f"{code},{tracking.new_code()}"
    assert await georeport.get("requests", service_request_id=ids, status="x") == [done]

    # The updates feed follows it: each public step with the extension's status word.
    now = services.clock.now()
    updates = await georeport.get(
        "servicerequestupdates",
        start_date=(now - timedelta(hours=1)).isoformat(),
        end_date=(now + timedelta(hours=1)).isoformat(),
    )
    for update in updates:
        exactly(update, UPDATE)
        assert update["service_request_id"] == code
        assert W3C_DATETIME.match(update["updated_datetime"])
    assert [update["status"] for update in updates] == [
        "open",
        "investigating",
        "in_progress",
        "fixed",
    ]
    assert updates[-1]["description"].startswith("Lampu sudah diganti.")
    assert "0813" not in updates[-1]["description"]
    assert len({update["update_id"] for update in updates}) == 4


async def test_errors_come_back_in_the_specs_shape_and_format(client, services):
    key = await open311.issue_key(services, "mitra")
    georeport = GeoReport(client, api_key=key)
    anonymous = GeoReport(client)

    refused = await anonymous.post(expect=403, service_code="jalan", description="x" * 20)
    assert refused == [{"code": 403, "description": refused[0]["description"]}]
    exactly(refused[0], ERROR)
    xml = await anonymous.post("xml", expect=403, service_code="jalan")
    assert xml == [{"code": "403", "description": xml[0]["description"]}]
    wrong = GeoReport(client, api_key="o311_bukan-kunci")
    assert (await wrong.post(expect=403, service_code="jalan"))[0]["code"] == 403

    lampu = {"service_code": "penerangan_jalan", "lat": "-6.2", "long": "106.9"}
    text = "Lampu jalan di gang kami mati sudah seminggu."
    assert await georeport.post(expect=404, service_code="kereta_api", description=text)
    problems = await georeport.post(expect=400, **lampu, **{"attribute[kondisi_lampu]": "biru"})
    named = {problem["description"].split(":")[0] for problem in problems}
    assert named == {"description", "attribute[kondisi_lampu]"}
    assert {problem["code"] for problem in problems} == {400}
    no_place = await georeport.post(expect=400, service_code="jalan", phone="12")
    named = {problem["description"].split(":")[0] for problem in no_place}
    assert named == {"lat", "long", "description", "phone"}  # every problem at once
    assert await georeport.post(expect=404, **lampu, description=text, jurisdiction_id="x.id")

    # Reading: a bad format is answered in XML, the spec's own; dates as the spec bounds them.
    response = await client.get("/open311/v2/services.yaml")
    assert response.status == 400 and response.content_type == "text/xml"
    assert await georeport.get("requests", expect=400, start_date="2026-11-01")
    span = {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}
    assert await georeport.get("requests", expect=400, **span)
    assert await georeport.get("requests/ZZZZZ-ZZZZZ", expect=404)
    assert await georeport.get("tokens/ABCDEFGH12-0123456789abcdef0123", expect=404)
    assert await georeport.get("services/kereta_api", expect=404)
    assert await georeport.get("services", expect=404, jurisdiction_id="kota-lain.go.id")
    assert await georeport.get("services", jurisdiction_id="kota-contoh.go.id")

    # Each partner's limit, with Retry-After; a revoked key files nothing more.
    services.city = replace(
        services.city,
        open311=replace(services.city.open311, filing_per_client=Limit(1, timedelta(hours=1))),
    )
    assert await georeport.post(**lampu, description=text)
    response = await client.post(
        "/open311/v2/requests.json", data={"api_key": key, **lampu, "description": text}
    )
    assert response.status == 429 and int(response.headers["Retry-After"]) > 0
    assert (await response.json())[0]["code"] == 429
    assert await open311.revoke(services, "mitra") is True
    assert await georeport.post(expect=403, **lampu, description=text)
    assert [entry.name for entry in await open311.list_clients(services)] == ["mitra"]


async def test_a_rahasia_complaint_is_unknown_to_open311(client, services, accounts):
    rahasia = (await file(client, rahasia=True))["tracking_code"]
    public = (await file(client))["tracking_code"]
    for code in (rahasia, public):  # both verified: only rahasia keeps one hidden
        assert (await act(client, code, accounts["dpupr"], "start")).status == 200
    georeport = GeoReport(client)

    unknown = await georeport.get("requests/ABCDE-FGH12", expect=404)
    assert await georeport.get(f"requests/{rahasia}", expect=404) == unknown
    listed = await georeport.get("requests")
    assert [request["service_request_id"] for request in listed] == [public]
    by_id = await georeport.get("requests", service_request_id=f"{rahasia},{public}")
    assert [request["service_request_id"] for request in by_id] == [public]
    now = services.clock.now()
    window = {"start_date": (now - timedelta(days=1)).isoformat(), "end_date": now.isoformat()}
    updates = await georeport.get("servicerequestupdates", **window)
    assert {update["service_request_id"] for update in updates} == {public}
    assert VALID["reporter"]["name"] not in str(listed + updates)


async def test_the_admin_issues_and_revokes_a_partners_key_from_the_command_line(client, run_lapor):
    code, out, _ = await run_lapor("open311", "add", "aplikasi-warga")
    assert code == 0
    key = out.strip().splitlines()[-1]
    assert key.startswith("o311_")
    partner = GeoReport(client, api_key=key)
    text = "Sampah menumpuk di TPS Jalan Mawar sejak seminggu."
    assert await partner.post(service_code="sampah", address_string="TPS Mawar", description=text)
    assert (await run_lapor("open311", "add", "aplikasi-warga"))[0] == 2  # the name is taken
    code, out, _ = await run_lapor("open311", "list")
    assert re.search(r"aplikasi-warga\s+live", out)
    assert (await run_lapor("open311", "revoke", "aplikasi-warga"))[0] == 0
    assert await partner.post(expect=403, service_code="sampah", description=text)
    assert (await run_lapor("open311", "revoke", "aplikasi-warga"))[0] == 1
