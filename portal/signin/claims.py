"""The identity provider's claims as the configurator's profile: the one place that knows claim names."""

from __future__ import annotations

from configurator.profile import Profile, profile_from_mapping

from ..account_models import Person


def profile_of(person: Person) -> Profile:
    """The profile from OpenID Connect claims: standard ``address``, and ``workplace``, ``household``
    and ``company_roles`` (the claim names the development provider uses; map others here)."""
    claims = person.claims or {}
    household = claims.get("household") or {}
    return profile_from_mapping(
        {
            "name": person.name,
            "home": claims.get("address"),
            "workplace": claims.get("workplace"),
            "spouse": bool(household.get("spouse")),
            "children": [
                {"id": c["id"], "name": c.get("given_name") or c.get("name", ""), "birth_date": c["birthdate"]}
                for c in household.get("children", [])
                if c.get("guardian", True) and c.get("birthdate")
            ],
            "companies": [
                {
                    "business_id": c["business_id"],
                    "name": c.get("name", ""),
                    "company_form": c.get("company_form"),
                    "role": c.get("role", ""),
                    "mandate": c.get("mandate", False),
                    "active": c.get("status", "active") == "active",
                }
                for c in claims.get("company_roles", [])
                if c.get("business_id")
            ],
        }
    )
