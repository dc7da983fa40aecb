"""Typed models of the data files (issue 14): parameters, the demo catalogue, its service points and
postal centroids.

Why one place: a data file is a boundary like an API request, so it gets the same kind of pydantic v2
model, and a broken file fails at load with one line per problem, ``<file>: <path>: <problem>``
(``ecec_fee.yaml: income_limit.family_2.values.2024-08-01.value: a number or null``), instead of a
KeyError deep in a rule. The field types of ``types`` (money, codes, opening hours, vocabularies) are
the shapes the API's models reuse.

The models check the shape and each entry on its own; what needs the whole file (a key referred to
elsewhere, a duplicate id, periods in order) is checked after them and reported the same way.
"""

from __future__ import annotations

from .errors import DataFileError, Problem, validate_file
from .yamlfile import load_yaml

__all__ = ["DataFileError", "Problem", "load_yaml", "validate_file"]
