"""The model of a parameter file (configurator/parameters/<file>.yaml); ``configurator.parameters``
turns a validated file into its dated lookup.

A file is a tree: a mapping with ``values`` is a leaf (one figure over time), any other mapping a group
of leaves and groups; ``description`` may stand at every level. Each period of a leaf starts on its date
key and carries its value (null while not published), source, status and an optional note.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Discriminator, Field, Tag, model_validator

from .types import FileModel, IsoDate, NonEmpty, Number, Text

Status = Literal["confirmed", "unconfirmed"]


def _value(value: Any) -> Any:
    """Pass null on; anything else must be a number (a quoted "12" is a typo, not a figure)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise ValueError(f"value must be a number or null, got {value!r}")  # noqa: TRY004 - pydantic reports a ValueError, not a TypeError
    return value


class PeriodModel(FileModel):
    """One period of a leaf, from its date key to the next key."""

    value: Annotated[Number | None, BeforeValidator(_value)] = Field(
        description="The figure; null (with status: unconfirmed) while it is not published"
    )
    source: Text
    status: Status = "confirmed"
    note: str | None = None

    @model_validator(mode="after")
    def _null_is_unconfirmed(self) -> PeriodModel:
        if self.value is None and self.status != "unconfirmed":
            raise ValueError("a null value must have 'status: unconfirmed'")
        return self


def _iso_keys(values: Any) -> Any:
    """Date keys as written (``2024-08-01``), so that a problem's path names the period as the file does."""
    if isinstance(values, dict):
        return {key.isoformat() if isinstance(key, date) else key: period for key, period in values.items()}
    return values


class LeafModel(FileModel):
    """One figure over time: its description, unit ("currency-EUR", "months", "ratio" ...) and periods."""

    description: Text
    unit: Text
    reference: str | None = None
    values: Annotated[dict[IsoDate, PeriodModel], BeforeValidator(_iso_keys), NonEmpty]

    @model_validator(mode="after")
    def _first_period_known(self) -> LeafModel:
        if self.values[min(self.values)].value is None:
            raise ValueError("the first period needs a known value")
        return self

    def periods(self) -> list[tuple[date, PeriodModel]]:
        """(start, period) ascending by start."""
        return sorted(self.values.items())


def _node_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        return "<leaf>" if "values" in value else "<group>"
    return None


class GroupModel(FileModel):
    """A group of leaves and groups under identifier keys; the file itself is one."""

    model_config = FileModel.model_config | {"extra": "allow"}

    description: Text | None = None
    __pydantic_extra__: dict[str, Node] = Field(init=False)

    @model_validator(mode="before")
    @classmethod
    def _identifier_keys(cls, data: Any) -> Any:
        if isinstance(data, dict):
            bad = [key for key in data if not isinstance(key, str) or not key.isidentifier()]
            if bad:
                raise ValueError(f"bad key {bad[0]!r} (use identifiers: letters, digits and _)")
        return data

    def children(self) -> dict[str, LeafModel | GroupModel]:
        """The leaves and groups under this group, in file order."""
        return dict(self.__pydantic_extra__ or {})


Node = Annotated[
    Annotated[LeafModel, Tag("<leaf>")] | Annotated[GroupModel, Tag("<group>")],
    Discriminator(
        _node_kind,
        custom_error_type="not_a_mapping",
        custom_error_message="expected a mapping (a group, or a leaf with 'values')",
    ),
]
GroupModel.model_rebuild()


class ParameterFileModel(GroupModel):
    """A whole parameter file: a group whose dotted names start with the file's stem."""

    def leaves(self, prefix: str) -> list[tuple[str, LeafModel]]:
        """Every leaf with its dotted name under ``prefix``, in file order."""
        found: list[tuple[str, LeafModel]] = []
        stack: list[tuple[str, GroupModel]] = [(prefix, self)]
        while stack:
            name, group = stack.pop(0)
            for key, child in group.children().items():
                if isinstance(child, LeafModel):
                    found.append((f"{name}.{key}", child))
                else:
                    stack.insert(0, (f"{name}.{key}", child))
        return found
