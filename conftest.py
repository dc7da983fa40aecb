"""pytest for the whole repository: test apps get rate limits far above what any suite sends.

The browser, fuzzing and API suites sign in, post feedback and call the API thousands of times from
127.0.0.1, and tests/conftest.py builds its apps from the environment (portal/config.py), so the limits are
raised here, before any app is made; the counting itself still runs on every limited request. The real
limits are tested in tests/web/test_rate_limits.py with apps built with low ones. A value already in the
environment is kept.
"""

from __future__ import annotations

import os

from portal.config import RATE_LIMIT_DEFAULTS

TEST_RATE_LIMIT = "100000 per minute"

for _name in RATE_LIMIT_DEFAULTS:
    os.environ.setdefault(_name, TEST_RATE_LIMIT)
