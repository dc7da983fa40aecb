"""Marks user-facing strings in the domain for extraction without importing any i18n runtime.

The domain returns English message ids; the web layer translates them. Keeping
the marker a no-op lets `pybabel extract` find the strings while `configurator`
stays free of Flask and Babel.
"""


def N_(message: str) -> str:
    """Return the message id unchanged (gettext_noop)."""
    return message


class Plural(str):
    """A message id with a plural form: the web layer picks the form by the value named ``count_key``.

    It is the singular text (so it works wherever a msgid does) and carries the plural and the key, so
    "up to {months} month" can read "up to 2 months" when a law changes the figure.
    """

    plural: str
    count_key: str

    def __new__(cls, singular: str, plural: str, count_key: str) -> "Plural":
        text = super().__new__(cls, singular)
        text.plural = plural
        text.count_key = count_key
        return text


def NP_(singular: str, plural: str, count_key: str) -> Plural:
    """Mark a message with its plural (ngettext_noop); ``count_key`` names the value that picks the form."""
    return Plural(singular, plural, count_key)
