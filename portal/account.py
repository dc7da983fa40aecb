"""Moved: kept only so that modules not yet switched still import (see /tmp/coord/moves.md); removed when
none does. Identity and guards: ``portal.identity``; sign-in: ``portal.signin``; consents and messages:
``portal.own.consents`` and ``portal.own.messages``."""
from .identity import current_person, owned, sign_in_required  # noqa: F401
from .own.consents import has_consent, set_consent  # noqa: F401
from .own.messages import notify, unread_count  # noqa: F401
from .signin.claims import profile_of  # noqa: F401
from .signin.services import find_person, sign_in_person  # noqa: F401
