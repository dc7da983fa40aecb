"""Who changes the catalogue: the staff person as the write services see them.

The sign-in and the roles (portal/organisers/access.py) decide which units, service points and
municipalities a person may act for; they hand the services an ``Actor`` with those sets, and every
service refuses a unit outside them itself (``changes.NotFound``), so no caller can forget the check.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CHANNELS = ("page", "csv", "api", "ptv-import")  # the same as portal.models.AUDIT_CHANNELS


@dataclass(frozen=True)
class Actor:
    """A signed-in staff person (or an API client) and what they may change.

    ``subject`` and ``name`` go into the audit log as signed in; ``reporter_role`` is what the citizens' "Updated
    ... by" line shows for availability (a key of ``configurator.catalogue.REPORTER_ROLES``, never a name).
    ``location_ids`` are the ECEC units and service points (``service_location.id``) the person may act for;
    ``municipality_codes`` the municipalities whose ECEC pricing they may set.
    """

    subject: str
    name: str
    location_ids: frozenset[int] = field(default_factory=frozenset)
    municipality_codes: frozenset[str] = field(default_factory=frozenset)
    reporter_role: str = "unit_director"

    def may_act_for(self, location_id: int) -> bool:
        return location_id in self.location_ids

    def may_price_for(self, municipality_code: str) -> bool:
        return municipality_code in self.municipality_codes
