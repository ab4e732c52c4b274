"""Which units must file which template: assignments by unit kind or by unit code."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tonghop.regime.errors import RegimeError
from tonghop.regime.org_units import TreeView


@dataclass(frozen=True, slots=True)
class Assignment:
    """Template TEMPLATE_CODE is due from every unit of kind UNIT_KIND, or from the unit UNIT_CODE."""

    template_code: str
    unit_kind: str | None = None
    unit_code: str | None = None

    def __post_init__(self) -> None:
        if (self.unit_kind is None) == (self.unit_code is None):
            raise RegimeError(f"Phân công mẫu '{self.template_code}': cần đúng một trong loại đơn vị hoặc mã đơn vị")

    def matches(self, code: str, kind: str) -> bool:
        """True when the unit CODE of KIND is covered by this assignment."""
        return code == self.unit_code if self.unit_code is not None else kind == self.unit_kind


def expected_units(view: TreeView, assignments: Iterable[Assignment], template_code: str,
                   under: str | None = None) -> set[str]:
    """Codes of the units in force in VIEW that owe TEMPLATE_CODE, within UNDER's subtree (UNDER included).

    Committee members count as part of a committee's subtree. UNDER None means the whole tree.
    """
    mine = [a for a in assignments if a.template_code == template_code]
    if not mine:
        return set()
    scope = view.subtree(under) if under is not None else list(view.units)
    units = view.units
    return {c for c in scope if any(a.matches(c, units[c].kind) for a in mine)}
