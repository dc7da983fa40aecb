"""The life-event journey: start page, one page per step, check your answers, the plan.

``views`` holds the routes (blueprint ``journey``); ``store`` where the answers are kept (the session or the
linked saved plan) and whose matter the journey is; ``coverage`` the notice for a place outside the
catalogue's area; ``preview`` the running result beside the steps; ``results`` and ``map_data`` the results
page's helpers, which the comparison templates call wherever they are rendered (own space, reservations too),
so they are registered for every template. Templates: ``templates/journey/`` and ``templates/questions/``
(shared with the own space and the comparison parts, so they stay in the app's template folder).
"""

from .breakdown import breakdown_html, figures_html
from .results import results_context
from .task_facts import task_facts
from .views import bp

bp.app_context_processor(results_context)
bp.add_app_template_global(task_facts)
bp.add_app_template_global(breakdown_html)
bp.add_app_template_global(figures_html)

__all__ = ["bp"]
