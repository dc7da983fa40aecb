"""Marks user-facing strings in the domain for extraction without importing any i18n runtime.

The domain returns English message ids; the web layer translates them. Keeping
the marker a no-op lets `pybabel extract` find the strings while `configurator`
stays free of Flask and Babel.
"""


def N_(message: str) -> str:
    """Return the message id unchanged (gettext_noop)."""
    return message
