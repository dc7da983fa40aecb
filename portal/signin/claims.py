"""The identity provider's claims as the configurator's profile: the one place that knows claim names."""

from __future__ import annotations

from configurator.profile import Profile, profile_from_mapping

from ..account_models import Person


def profile_of(person: Person) -> Profile:
    """The profile from OpenID Connect claims: standard ``address``, and ``workplace``, ``household``
    and ``company_roles`` (the claim names the development provider uses; map others here). An address may
    carry ``since`` (YYYY-MM-DD, the day the person moved in), which suggestions read."""
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
                    "status": c.get("status", "active"),
                }
                for c in claims.get("company_roles", [])
                if c.get("business_id")
            ],
        }
    )


# Staff (organiser) claims, from the staff provider (STAFF_OIDC_*) or the development provider's staff people:
#   polku_roles:         organiser roles, keys of STAFF_ROLES
#   polku_organisations: business ids (Y-tunnus) of the organisations the person acts for
#   polku_units:         ids (service_location.id) of single ECEC units or service points the person acts for
STAFF_ROLES = (
    "ecec_service_manager",
    "unit_director",
    "private_provider",
    "business_advice_coordinator",
    "catalogue_admin",
)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(item) for item in value if isinstance(item, (str, int)) and not isinstance(item, bool)]
    return []


def staff_from_claims(claims: dict[str, object], signed_by: str) -> dict[str, object] | None:
    """What a staff session keeps (plain JSON): who, which roles, which organisations and units; None when the
    claims name no organiser role (an account of the staff provider that is no organiser signs in as nobody)."""
    roles = [role for role in _strings(claims.get("polku_roles")) if role in STAFF_ROLES]
    if not roles or not claims.get("sub"):
        return None
    units = sorted({int(unit) for unit in _strings(claims.get("polku_units")) if unit.isdigit()})
    return {
        "issuer": signed_by,
        "sub": str(claims["sub"]),
        "name": str(claims.get("name") or claims["sub"]),
        "roles": roles,
        "organisations": sorted(set(_strings(claims.get("polku_organisations")))),
        "units": units,
    }
