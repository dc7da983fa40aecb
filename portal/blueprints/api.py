"""Moved: the API is the package portal.api (/api/v2). This name stays only until portal/__init__.py imports
portal.api itself (see /tmp/coord/moves.md)."""
from ..api import bp

__all__ = ["bp"]
