"""Feedback for the organisers: the quick form after a journey or a used service, and a longer one.

``views`` holds the routes (blueprint ``feedback``), ``forms`` the WTForms forms, ``services`` the subject and
storing, ``report`` the organisers' figures (``flask feedback-report``). Templates: ``templates/feedback/``.
"""

from .views import bp

__all__ = ["bp"]
