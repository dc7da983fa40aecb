"""Pages outside any journey: the front page and language negotiation, the accessibility statement and the
privacy notice (``views``, blueprint ``pages``, with their content models ``accessibility_statement`` and
``privacy``), the error pages of the whole app (``errors``) and the vendored front-end files (``vendor``,
blueprint ``vendor``). Templates: ``templates/pages/`` and ``templates/errors/``.
"""

from .errors import register_error_handlers
from .vendor import bp as vendor_bp
from .views import bp

__all__ = ["bp", "register_error_handlers", "vendor_bp"]
