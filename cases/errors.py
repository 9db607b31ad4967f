"""Domain errors. Each carries the HTTP status the API answers with, a stable code, and a message that names
the thing and the fix (in Chinese, English through gettext). demozone.api.exception_handler maps them."""
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    http_status = 400
    code = "invalid"

    def __init__(self, message, **extra):
        super().__init__(str(message))
        self.message = message
        self.extra = extra


class NotFound(DomainError):
    """Outside the caller's scope, or not there: the two look the same (deny by default)."""

    http_status = 404
    code = "not_found"

    def __init__(self, message=None, **extra):
        super().__init__(message or _("未找到该案件。"), **extra)


class NotAllowed(DomainError):
    """In scope, but the caller's role may not make this move."""

    http_status = 403
    code = "not_allowed"


class IllegalTransition(DomainError):
    """The move does not exist from the current state."""

    http_status = 409
    code = "illegal_transition"


class GuardFailed(DomainError):
    """The move exists from this state but one of its conditions is not met (documents, deadlines, decisions)."""

    http_status = 409
    code = "conditions_not_met"


class Conflict(DomainError):
    """Someone else changed the case first; reload and try again."""

    http_status = 409
    code = "conflict"


class InvalidPayload(DomainError):
    http_status = 400
    code = "invalid"
