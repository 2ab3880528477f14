"""The API's schema for a team working its queue (issue 17 §1): owners, internal notes, bulk
actions, reply templates, the export. The rest of the contract is lapor/schemas.py."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from lapor.schemas import (
    AGENCY_PATTERN,
    INT64_MAX,
    Loose,
    Owner,
    QueueFilterQuery,
    Strict,
    Text,
)

OfficerId = Annotated[int, Field(ge=1, le=INT64_MAX)]
CodeText = Annotated[str, StringConstraints(min_length=1, max_length=40)]
TemplateStatus = Literal["assigned", "in_progress"]

# ----------------------------------------------------------------------------- requests


class AssigneeChange(Strict):
    officer_id: OfficerId | None = Field(
        description="The officer of the complaint's agency who owns it from now; null: nobody "
        "(the head and the admin give to anyone; an officer takes one nobody owns, or lets "
        "go of their own)"
    )
    note: Text | None = Field(None, max_length=5000, description="Internal: why")


class NewNote(Strict):
    note: Text = Field(min_length=1, max_length=5000, description="Internal: never public")


class BulkAction(Strict):
    """One move on each complaint of the selection, all or none."""

    action: Literal["assign", "start", "transfer", "respond"]
    codes: list[CodeText] = Field(min_length=1, max_length=100)
    officer_id: OfficerId | None = Field(None, description="assign: to whom (null: nobody)")
    agency: Text | None = Field(None, max_length=40, description="transfer: where to")
    category: Text | None = Field(None, max_length=40)
    template: OfficerId | None = Field(None, description="respond: the reply template's id")
    note: Text | None = Field(
        None, max_length=5000, description="respond without a template: the public note"
    )
    internal_note: Text | None = Field(None, max_length=5000)


class TemplateIn(Strict):
    agency: str | None = Field(
        None, pattern=AGENCY_PATTERN, description="The admin names it; a head writes their own"
    )
    status: TemplateStatus = Field(description="The status of the complaints it answers")
    title: Text = Field(min_length=1, max_length=100)
    body: Text = Field(
        min_length=1,
        max_length=5000,
        description="The public answer, with the placeholders of lapor/reply_templates.py "
        "(the complaint's code, category, agency, place, dates and the answering officer)",
    )


class TemplateChange(Strict):
    status: TemplateStatus
    title: Text = Field(min_length=1, max_length=100)
    body: Text = Field(min_length=1, max_length=5000)


# ---------------------------------------------------------------------------- parameters


class TemplatePath(BaseModel):
    template_id: int = Field(ge=0, le=INT64_MAX)


class TemplateQuery(BaseModel):
    agency: str | None = Field(None, pattern=AGENCY_PATTERN, description="The admin's choice")
    status: TemplateStatus | None = None


class TeamQuery(BaseModel):
    agency: str | None = Field(
        None, pattern=AGENCY_PATTERN, description="The admin names it; officers get their own"
    )


class ExportQuery(QueueFilterQuery):
    format: Literal["csv"] = "csv"


# ----------------------------------------------------------------------------- responses


class Assignment(Loose):
    tracking_code: str
    assignee: Owner | None


class NoteAdded(Loose):
    id: int


class BulkDone(Loose):
    action: str
    codes: list[str] = Field(description="Every complaint of the selection, moved")


class Template(Loose):
    id: int
    agency: str
    status: TemplateStatus
    title: str
    body: str
    updated_at: str


class TeamMember(Loose):
    id: int
    username: str
    display_name: str
    head: bool
