"""The Open311 edge's schema: GeoReport v2's parameters, its form for a new request and its
answers, as pydantic models. The handlers check what comes in with them, and the OpenAPI
document describes the JSON variant of each answer from them (the XML variant carries the same
fields, as the spec maps one onto the other)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from lapor.schemas import (
    CATEGORY_PATTERN,
    CODE_PATTERN,
    Loose,
    Text,
)

# One or more, comma delimited, as GeoReport's GET requests takes them.
CATEGORY_LIST = r"^[a-z0-9_]{1,40}(,[a-z0-9_]{1,40}){0,30}$"
STATUS_LIST = r"^(open|closed)(,(open|closed))?$"
TOKEN_PATTERN = r"^[0-9A-Z]{10}-[0-9a-f]{20}$"
Format = Literal["json", "xml"]


# ------------------------------------------------------------------------- parameters


class FormatPath(BaseModel):
    format: Format = Field(description="json or xml (GeoReport's default)")


class ServicePath(FormatPath):
    service_code: str = Field(pattern=CATEGORY_PATTERN, description="A category code")


class RequestPath(FormatPath):
    service_request_id: str = Field(pattern=CODE_PATTERN, description="The tracking code")


class TokenPath(FormatPath):
    token: str = Field(pattern=TOKEN_PATTERN, description="From the answer to POST requests")


class JurisdictionQuery(BaseModel):
    jurisdiction_id: Text | None = Field(
        None, max_length=200, description="Optional: lapor serves one city"
    )


class RequestsQuery(JurisdictionQuery):
    service_request_id: Text | None = Field(
        None, max_length=2000, description="Tracking codes, comma delimited (overrides the rest)"
    )
    service_code: str | None = Field(None, pattern=CATEGORY_LIST, description="Comma delimited")
    start_date: Text | None = Field(
        None, max_length=40, description="ISO 8601 with a time zone, e.g. 2026-11-01T00:00:00Z"
    )
    end_date: Text | None = Field(None, max_length=40, description="At most 90 days after start")
    status: str | None = Field(None, pattern=STATUS_LIST, description="open, closed or both")


class UpdatesQuery(JurisdictionQuery):
    start_date: Text | None = Field(None, max_length=40, description="ISO 8601 with a time zone")
    end_date: Text | None = Field(None, max_length=40, description="At most 90 days after start")


class NewRequest(BaseModel):
    """POST requests, form-encoded. `attribute[code]=value` pairs answer the service
    definition; device_id and account_id are taken and not kept."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    api_key: Text | None = Field(None, max_length=200, description="Issued by the city's admin")
    jurisdiction_id: Text | None = Field(None, max_length=200)
    service_code: str = Field(pattern=CATEGORY_PATTERN)
    lat: float | None = Field(None, ge=-11.5, le=6.5, allow_inf_nan=False)
    long: float | None = Field(None, ge=94.0, le=141.5, allow_inf_nan=False)
    address_string: Text | None = Field(None, max_length=300)
    address_id: Text | None = Field(None, max_length=200)
    # The reporter's contact and the text are checked by the one intake (complaints.intake),
    # with every other problem it finds.
    email: Text | None = Field(None, max_length=200, description="As the API's reporter.email")
    device_id: Text | None = Field(None, max_length=200)
    account_id: Text | None = Field(None, max_length=200)
    first_name: Text | None = Field(None, max_length=60)
    last_name: Text | None = Field(None, max_length=60)
    phone: Text | None = Field(None, max_length=30, description="As the API's reporter.phone")
    description: Text | None = Field(None, max_length=4000)
    media_url: Text | None = Field(None, max_length=2000)


# ---------------------------------------------------------------------------- answers


class Endpoint(Loose):
    specification: str
    url: str
    changeset: str
    type: Literal["production", "test"]
    formats: list[str]


class Discovery(Loose):
    changeset: str
    contact: str
    key_service: str
    endpoints: list[Endpoint]


class Service(Loose):
    service_code: str
    service_name: str
    description: str
    metadata: bool
    type: Literal["realtime", "batch", "blackbox"]
    keywords: str
    group: str


class AttributeValue(Loose):
    key: str
    name: str


class Attribute(Loose):
    variable: bool
    code: str
    datatype: Literal["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
    required: bool
    datatype_description: str | None
    order: int
    description: str
    values: list[AttributeValue]


class ServiceDefinition(Loose):
    service_code: str
    attributes: list[Attribute]


class RequestFiled(Loose):
    service_request_id: str
    token: str | None = None
    service_notice: str | None
    account_id: str | None


class TokenFound(Loose):
    service_request_id: str
    token: str


class ServiceRequest(Loose):
    service_request_id: str
    status: Literal["open", "closed"]
    status_notes: str | None
    service_name: str | None
    service_code: str | None
    description: str | None
    agency_responsible: str | None
    service_notice: str | None
    requested_datetime: str
    updated_datetime: str | None
    expected_datetime: str | None
    address: str | None
    address_id: str | None
    zipcode: str | None
    lat: float | None
    long: float | None
    media_url: str | None


class RequestUpdate(Loose):
    update_id: str
    service_request_id: str
    status: str
    updated_datetime: str
    description: str
    media_url: str | None


class Open311Error(Loose):
    code: int
    description: str
