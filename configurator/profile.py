"""What the portal already knows about a signed-in person, and how it fills in a life event's questions.

"Ask only once": a question names a prefill source (``prefill: home_address``); the source reads the
person's profile, or the child or company they act for, and its answer is shown and editable like
any other. Sources are small named functions so that a life-event file can refer to them and the
loader can check the name and the question type.

A page says an answer came from a source only while the answer is the source's value unchanged
(``prefilled_from``): where it came from is worked out from the answer and the profile each time,
never remembered, so an answer changed by the person, typed before signing in or given for another
child or company can never carry the label.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .i18n import N_

ACTING_FOR = ("self", "child", "company")  # whose matter a life event is: the person's own, a child's, a company's


@dataclass(frozen=True)
class Address:
    street_address: str | None
    postal_code: str
    since: date | None = None  # the day the person moved in, when the register says (suggestions use it)


@dataclass(frozen=True)
class Child:
    id: str
    name: str
    birth_date: date


@dataclass(frozen=True)
class Company:
    business_id: str
    name: str
    company_form: str | None
    role: str
    mandate: bool
    active: bool
    status: str = "active"  # the Trade Register's: "active", "bankrupt" (configurator.suggestions)


@dataclass(frozen=True)
class Profile:
    name: str
    home: Address | None = None
    workplace: Address | None = None
    spouse: bool = False
    children: tuple[Child, ...] = ()
    companies: tuple[Company, ...] = ()


@dataclass(frozen=True)
class Subject:
    """Whose matter the plan is: ``self``, or ``child:<id>`` / ``company:<business id>`` acted for."""

    key: str
    name: str | None = None
    child: Child | None = None
    company: Company | None = None

    @property
    def kind(self) -> str:
        return self.key.split(":", 1)[0]


SELF = Subject("self")


def subjects(profile: Profile | None, acting_for: str) -> tuple[Subject, ...]:
    """Whom a person may act for in an event: their children as guardian, companies they hold a mandate for."""
    if profile is None or acting_for == "self":
        return (SELF,)
    if acting_for == "child":
        return tuple(Subject(f"child:{c.id}", c.name, child=c) for c in profile.children)
    return (SELF,) + tuple(
        Subject(f"company:{c.business_id}", c.name, company=c) for c in profile.companies if c.mandate and c.active
    )


def subject_by_key(profile: Profile | None, acting_for: str, key: str) -> Subject | None:
    """The subject with this key among those the person may act for; ``self`` always (a guardian may
    plan for a child the register does not show, answering the child's questions themselves)."""
    if key == "self":
        return SELF
    return next((s for s in subjects(profile, acting_for) if s.key == key), None)


def _address(address: Address | None) -> dict[str, str | None] | None:
    if address is None:
        return None
    return {"postal_code": address.postal_code, "street_address": address.street_address}


def _household_size(profile: Profile, subject: Subject) -> int | None:
    """Parents living together and their minor children, as the ECEC fee law counts a family."""
    return 1 + int(profile.spouse) + len(profile.children) if profile.children else None


@dataclass(frozen=True)
class PrefillSource:
    label: str  # where the answer came from, shown beside the question
    # The shape of the value it reads: "address" (a mapping of postal_code and street_address), "iso_date",
    # "count" or "option"; a question type fits when its class lists the shape (QuestionType.prefill_shapes).
    gives: str
    read: Callable[[Profile, Subject], Any]
    # The option that keeps the source's value when the person typed something else before signing in
    # ("Use 21200 (from the population register)" / "Keep 20100 ...").
    choice_label: str


PREFILL_SOURCES: dict[str, PrefillSource] = {
    "home_address": PrefillSource(
        N_("From your address in the population register"),
        "address",
        lambda p, s: _address(p.home),
        N_("Use %(answer)s (from the population register)"),
    ),
    "workplace_address": PrefillSource(
        N_("From your profile"), "address", lambda p, s: _address(p.workplace), N_("Use %(answer)s (from your profile)")
    ),
    "child_birth_date": PrefillSource(
        N_("From the details of the child you act for"),
        "iso_date",
        lambda p, s: s.child.birth_date.isoformat() if s.child else None,
        N_("Use %(answer)s (from the details of the child you act for)"),
    ),
    "household_size": PrefillSource(
        N_("From your household in the population register"),
        "count",
        _household_size,
        N_("Use %(answer)s (from the population register)"),
    ),
    "company_form": PrefillSource(
        N_("From the Trade Register details of the company you act for"),
        "option",
        lambda p, s: s.company.company_form if s.company else None,
        N_("Use %(answer)s (from the Trade Register)"),
    ),
}

# Whether two raw answers to a question are the same answer ("09" and "9" are the same month):
# configurator.journey.same_answer with the day and the place resolver bound.
SameAnswer = Callable[[Any, Mapping[str, str], Mapping[str, str]], bool]


def source_raw(question: Any, profile: Profile, subject: Subject) -> dict[str, str] | None:
    """The raw form fields the question's prefill source gives for this person and subject, or None
    when it names no source or the profile does not know the answer."""
    source = PREFILL_SOURCES.get(question.prefill or "")
    if source is None:
        return None
    value = source.read(profile, subject)
    if value is None or (question.options and value not in question.option_values):
        return None
    fields = question.kind.raw_from_json(question.id, value)
    return {k: v for k, v in fields.items() if v not in ("", "None")} or None


def prefill(questions: Any, profile: Profile, subject: Subject) -> tuple[dict[str, str], dict[str, str]]:
    """Raw form fields for the questions with a prefill source the profile can answer, and which
    question ids were filled from which source."""
    raw: dict[str, str] = {}
    filled: dict[str, str] = {}
    for question in questions:
        fields = source_raw(question, profile, subject)
        if fields is None:
            continue
        raw.update(fields)
        filled[question.id] = question.prefill
    return raw, filled


def prefilled_from(
    questions: Any, raw: Mapping[str, str], profile: Profile, subject: Subject, same: SameAnswer
) -> dict[str, str]:
    """Question id -> prefill source, for the answers that are the source's value unchanged.

    Nothing is remembered about where an answer came from: an answer carries the label exactly while it
    is what the person's details (or those of the child or company they act for) say. A home address with
    the registered street and a typed postal code is not the register's, a birth date typed for Eeli is not
    Helmi's, and a value that moved in the register since is not labelled either.
    """
    found: dict[str, str] = {}
    for question in questions:
        fields = source_raw(question, profile, subject)
        if fields is not None and same(question, raw, fields):
            found[question.id] = question.prefill
    return found


def _date_or_none(value: Any) -> date | None:
    """A YYYY-MM-DD claim as a date; anything else as unknown (a provider's odd value must not break a page)."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def profile_from_mapping(data: Mapping[str, Any]) -> Profile:
    """A profile from its plain-data form (what the portal maps identity claims into)."""

    def address(value: Mapping[str, Any] | None) -> Address | None:
        if not value or not value.get("postal_code"):
            return None
        return Address(value.get("street_address"), value["postal_code"], _date_or_none(value.get("since")))

    return Profile(
        name=data.get("name", ""),
        home=address(data.get("home")),
        workplace=address(data.get("workplace")),
        spouse=bool(data.get("spouse")),
        children=tuple(
            Child(c["id"], c["name"], date.fromisoformat(c["birth_date"])) for c in data.get("children", [])
        ),
        companies=tuple(
            Company(
                c["business_id"],
                c["name"],
                c.get("company_form"),
                c.get("role", ""),
                bool(c.get("mandate")),
                bool(c.get("active", True)),
                c.get("status") or ("active" if c.get("active", True) else "inactive"),
            )
            for c in data.get("companies", [])
        ),
    )
