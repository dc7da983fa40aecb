"""The base of every fixed form (WTForms through Flask-WTF), and its errors in the shape the templates show.

Fixed forms (feedback, consents, reservations, account deletion) declare their fields and checks as
WTForms classes; the templates keep rendering them with the GOV.UK components of ``macros/forms.html``, which
read a ``FormError`` per field: the element id the error summary links to, a msgid (translated when shown,
in the reader's language) and the values it names. Journey steps are not fixed forms: their questions come
from the life events' YAML and are validated by ``configurator.answers``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_wtf import FlaskForm
from wtforms.validators import ValidationError


@dataclass(frozen=True)
class FormError:
    """A validation failure for the error summary and the inline message: the id it links to, a msgid and
    the values the msgid names (``{max}``)."""

    field: str
    message: str
    values: Mapping[str, Any] = field(default_factory=dict)


class Problem(ValidationError):
    """A validator's failure as a msgid and its values; the msgid is translated only when shown."""

    def __init__(self, message: str, **values: Any) -> None:
        super().__init__(FormError("", message, values))


class Form(FlaskForm):
    """A fixed form. CSRF is checked once for every POST of the app by ``CSRFProtect`` (its own error page,
    before any view runs), and the templates write the token themselves: a second check per form would add
    nothing, and ``{{ form.csrf_token }}`` would give several forms on one page the same element id."""

    class Meta:
        csrf = False

    def problems(self, prefix: str = "") -> list[FormError]:
        """The fields' errors in field order, each linked to ``<prefix><field name>`` (the template's ids)."""
        found: list[FormError] = []
        for name, form_field in self._fields.items():
            for error in form_field.errors:
                message, values = (error.message, error.values) if isinstance(error, FormError) else (str(error), {})
                found.append(FormError(f"{prefix}{name}", message, values))
        return found


__all__ = ["Form", "FormError", "Problem"]


def whole_number(raw: str | None, max_digits: int = 12) -> int | None:
    """A non-negative whole number a form or an address sent back (a version, an id, a page number), or None for
    anything else: ASCII digits only (``int`` would take '٣' and ' 7'), and bounded, so no number too long to
    store gets as far as the database."""
    if raw is None or not (0 < len(raw) <= max_digits and raw.isascii() and raw.isdigit()):
        return None
    return int(raw)
