"""One error format for every data file: ``<file>: <path>: <problem>``, one line per problem.

Why not pydantic's own text: it puts the path on a line of its own with a type URL and the input, which
is noise for a person editing YAML; here the path is written the way the file is read
(``units[3].availability.under_3``) and a validator's own sentence is kept as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

ModelT = TypeVar("ModelT", bound=BaseModel)

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# Discriminator tags of the models are written "<like this>": they are part of pydantic's location of an
# error but not a key of the file, so the path leaves them out.
_TAG_PREFIX, _TAG_SUFFIX = "<", ">"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file: where (a path such as ``units[3].care_type``, empty for the whole file)."""

    path: str
    message: str

    def line(self, file: str) -> str:
        return f"{file}: {self.path}: {self.message}" if self.path else f"{file}: {self.message}"


class DataFileError(ValueError):
    """A data file breaks its model: the message has one ``<file>: <path>: <problem>`` line per problem."""

    def __init__(self, file: str | Path, problems: Sequence[Problem]) -> None:
        self.file = display_name(file)
        self.problems = tuple(problems)
        super().__init__("\n".join(problem.line(self.file) for problem in self.problems))

    @classmethod
    def one(cls, file: str | Path, path: str, message: str) -> DataFileError:
        """A file with a single problem."""
        return cls(file, [Problem(path, message)])


def display_name(file: str | Path) -> str:
    """The file as a person finds it: relative to the project when it is in it, else as given."""
    path = Path(file)
    if not path.is_absolute():
        return str(file)
    try:
        return str(path.relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def format_path(location: Iterable[Any]) -> str:
    """``("units", 3, "availability", "under_3")`` -> ``units[3].availability.under_3``; a date key is
    written as in the file (``values.2024-08-01``)."""
    text = ""
    for part in location:
        if isinstance(part, int) and not isinstance(part, bool):
            text += f"[{part}]"
            continue
        if isinstance(part, (date, datetime)):
            part = part.isoformat()
        part = str(part)
        if (part.startswith(_TAG_PREFIX) and part.endswith(_TAG_SUFFIX)) or part == "[key]":
            continue  # a model's tag, or pydantic's marker of a bad mapping key (the key is the path already)
        text += f".{part}" if text else part
    return text


def problems_of(error: ValidationError) -> list[Problem]:
    """Pydantic's errors as problems, with a validator's own message instead of "Value error, ..."."""
    problems = []
    for detail in error.errors(include_url=False):
        context = detail.get("ctx") or {}
        cause = context.get("error")
        if detail["type"] == "value_error" and cause is not None:
            message = str(cause)
        else:
            message = detail["msg"]
            if detail["type"] not in ("missing", "extra_forbidden") and _shows(detail.get("input")):
                message += f", got {detail['input']!r}"
        path = format_path(detail["loc"])
        kind = detail["type"]
        if kind == "extra_forbidden":
            message = "unknown key (a typo?)"
        elif kind == "missing":
            message = "required, missing"
        elif kind in _MAPPING_TYPES:
            message = "the top level must be a mapping" if not path else f"expected a mapping, got {_kind_of(detail)}"
        elif kind in _LIST_TYPES:
            message = f"expected a list, got {_kind_of(detail)}"
        elif kind == "too_short":
            message = "must not be empty"
        problems.append(Problem(path, message))
    return problems


_MAPPING_TYPES = frozenset({"model_type", "model_attributes_type", "dict_type", "dataclass_type"})
_LIST_TYPES = frozenset({"list_type", "tuple_type", "set_type", "frozen_set_type"})


def _kind_of(detail: Any) -> str:
    value = detail.get("input")
    return repr(value) if _shows(value) else type(value).__name__


def _shows(value: Any) -> bool:
    """Whether the wrong value is short enough to repeat in the message."""
    return isinstance(value, (str, int, float)) and len(repr(value)) <= 60


def validate_file(model: type[ModelT], data: Any, file: str | Path) -> ModelT:
    """``model`` validated from a file's parsed ``data``; DataFileError naming every problem otherwise."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise DataFileError(file, problems_of(error)) from None


def raise_problems(file: str | Path, problems: Sequence[Problem]) -> None:
    """Raise DataFileError when the checks after the model found anything."""
    if problems:
        raise DataFileError(file, problems)
