"""Domain errors. The web middleware turns them into problem+json; the bots into a sentence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class DomainError(Exception):
    status = 400
    title = "Bad request"
    slug = "bad-request"
    # Whole seconds after which trying again may succeed (a 429, a 503): the web sends it as
    # Retry-After (RFC 9110) and in the problem's `retry_after`. None: trying again will not help.
    retry_after: int | None = None

    def __init__(self, detail: str, errors: Sequence[FieldError] = ()) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors)


class ValidationFailed(DomainError):
    status = 422
    title = "Validation failed"
    slug = "validation-failed"

    @classmethod
    def on(cls, field: str, message: str) -> ValidationFailed:
        return cls(message, [FieldError(field, message)])

    @classmethod
    def of(cls, errors: Sequence[FieldError]) -> ValidationFailed:
        """Several fields' errors at once, each named."""
        return cls("; ".join(f"{e.field}: {e.message}" for e in errors), errors)


class PayloadTooLarge(ValidationFailed):
    status = 413
    title = "Payload too large"
    slug = "payload-too-large"


class NotFound(DomainError):
    status = 404
    title = "Not found"
    slug = "not-found"


class Unauthorized(DomainError):
    status = 401
    title = "Unauthorized"
    slug = "unauthorized"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"
    slug = "forbidden"


class Conflict(DomainError):
    status = 409
    title = "Conflict"
    slug = "conflict"


class InvalidTransition(Conflict):
    title = "Action not allowed in this status"
    slug = "invalid-transition"

    def __init__(self, detail: str, allowed: Sequence[str]) -> None:
        super().__init__(detail, [FieldError("action", detail)])
        self.allowed = list(allowed)


class IdempotencyMismatch(ValidationFailed):
    title = "Idempotency key reused with another request"
    slug = "idempotency-key-reused"


class StorageUnavailable(DomainError):
    """The photo store (object storage) cannot be reached or refused the request: nothing
    was filed; the client may try again later."""

    status = 503
    title = "Service Unavailable"
    slug = "storage-unavailable"
    # The client's own retry comes after the store's (botocore retries each call a few times);
    # an outage of the bucket rarely ends within seconds.
    retry_after = 30
