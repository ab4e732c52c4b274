"""Org units: a dated tree of any depth, committee memberships and lineage events (merge, split, rename, move)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from tonghop.regime.errors import UnitError

EventKind = Literal["merge", "split", "rename", "move"]
EVENT_KINDS = ("merge", "split", "rename", "move")


@dataclass(frozen=True, slots=True)
class OrgUnit:
    """One version of a unit; a code may have several versions with disjoint validity (rename, move).

    `valid_from` and `valid_to` are inclusive; None means open-ended.
    """

    code: str
    name: str
    kind: str
    parent: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None

    def valid_on(self, day: date) -> bool:
        """True when this version is in force on DAY."""
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True, slots=True)
class LineageEvent:
    """A boundary change effective on `date` (the first day of the new state).

    merge: all `sources` become `targets[0]` (which may be one of the sources).
    split: `sources[0]` is divided among `targets`; `shares` (target -> fraction) lets figures follow it.
    rename / move: `sources[i]` continues as `targets[i]` (same or new code; the new parent is in the new OrgUnit).
    """

    kind: EventKind
    date: date
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    note: str = ""
    shares: Mapping[str, float] | None = None

    def mapping(self) -> dict[str, dict[str, float | None]]:
        """Source code -> {target code: share}; share None means the split gives no attributable share."""
        if self.kind == "merge":
            return {s: {self.targets[0]: 1.0} for s in self.sources}
        if self.kind == "split":
            shares = self.shares or {}
            return {self.sources[0]: {t: (float(shares[t]) if t in shares else None) for t in self.targets}}
        return {s: {t: 1.0} for s, t in zip(self.sources, self.targets, strict=True)}


@dataclass(frozen=True, slots=True)
class Membership:
    """`unit` reports to the committee `committee` as well as to its parent, within the validity window."""

    unit: str
    committee: str
    valid_from: date | None = None
    valid_to: date | None = None

    def valid_on(self, day: date) -> bool:
        """True when the membership is in force on DAY."""
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class TreeView:
    """The unit tree as it stood on one day (built by `UnitTree.at`)."""

    def __init__(self, tree: UnitTree, day: date) -> None:
        self.tree = tree
        self.day = day
        self.units: dict[str, OrgUnit] = {u.code: u for u in tree.units if u.valid_on(day)}
        self._children: dict[str | None, list[str]] = {}
        for u in sorted(self.units.values(), key=lambda u: u.code):
            parent = u.parent if u.parent in self.units else None
            self._children.setdefault(parent, []).append(u.code)
        self._members: dict[str, list[str]] = {}
        for m in tree.memberships:
            if m.valid_on(day) and m.unit in self.units:
                self._members.setdefault(m.committee, []).append(m.unit)
        for codes in self._members.values():
            codes.sort()

    def __contains__(self, code: object) -> bool:
        return code in self.units

    def __len__(self) -> int:
        return len(self.units)

    def get(self, code: str) -> OrgUnit:
        """The unit CODE in force on this day; raises UnitError naming the code and the day."""
        try:
            return self.units[code]
        except KeyError:
            raise UnitError(f"Đơn vị '{code}' không tồn tại vào ngày {self.day.isoformat()}") from None

    def roots(self) -> list[str]:
        """Codes of units without a parent on this day."""
        return list(self._children.get(None, []))

    def children(self, code: str) -> list[str]:
        """Direct children of CODE in the tree (committee members not included)."""
        self.get(code)
        return list(self._children.get(code, []))

    def members(self, committee_code: str) -> list[str]:
        """Units that report to the committee COMMITTEE_CODE besides their parent."""
        return list(self._members.get(committee_code, []))

    def reporters(self, code: str) -> list[str]:
        """Units that report directly to CODE: its children, then its committee members not already children."""
        kids = self.children(code)
        seen = set(kids)
        return kids + [m for m in self.members(code) if m not in seen and m != code]

    def descendants(self, code: str, with_members: bool = True) -> list[str]:
        """All units below CODE (depth first, CODE excluded); committee members and their subtrees included."""
        self.get(code)
        out: list[str] = []
        seen = {code}
        stack = [code]
        while stack:
            cur = stack.pop()
            if cur != code:
                out.append(cur)
            nxt = self.reporters(cur) if with_members else self._children.get(cur, [])
            for c in reversed(nxt):
                if c not in seen:
                    seen.add(c)
                    stack.append(c)
        return out

    def subtree(self, code: str, with_members: bool = True) -> list[str]:
        """CODE followed by its descendants."""
        return [code, *self.descendants(code, with_members)]

    def ancestors(self, code: str) -> list[str]:
        """Parent, grandparent, … up to the root (nearest first)."""
        out: list[str] = []
        cur = self.get(code).parent
        while cur is not None and cur in self.units and cur not in out:
            out.append(cur)
            cur = self.units[cur].parent
        return out

    def leaves(self, code: str) -> list[str]:
        """Units of CODE's subtree that have no reporters of their own."""
        return [c for c in self.subtree(code) if not self.reporters(c)]

    def of_kind(self, kind: str) -> list[str]:
        """Codes of the units of KIND in force on this day, sorted."""
        return sorted(c for c, u in self.units.items() if u.kind == kind)

    def successors(self, code: str, at: date | None = None) -> dict[str, float | None]:
        """Where CODE (as of this view's day) lives on AT (default today): successor code -> share."""
        return self.tree.successors(code, since=self.day, at=at)


@dataclass
class UnitTree:
    """All versions of all units, the lineage events between them and committee memberships; validated on creation."""

    units: list[OrgUnit]
    events: list[LineageEvent] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.units = list(self.units)
        self.events = sorted(self.events, key=lambda e: e.date)
        self.memberships = list(self.memberships)
        problems = check_tree(self.units, self.events, self.memberships)
        if problems:
            raise UnitError("; ".join(problems))
        self._views: dict[date, TreeView] = {}
        self._index: LineageIndex | None = None

    def at(self, day: date) -> TreeView:
        """The tree as it stood on DAY (cached)."""
        view = self._views.get(day)
        if view is None:
            view = self._views[day] = TreeView(self, day)
        return view

    def today(self) -> TreeView:
        """The tree valid today."""
        return self.at(date.today())

    def versions(self, code: str) -> list[OrgUnit]:
        """Every version of CODE, oldest first."""
        return sorted((u for u in self.units if u.code == code), key=lambda u: u.valid_from or date.min)

    def successors(self, code: str, since: date | None = None, at: date | None = None) -> dict[str, float | None]:
        """Follow lineage events after SINCE up to AT (default today): successor code -> share (None: not attributable).

        A unit untouched by any event is its own successor with share 1.0.
        """
        if self._index is None:
            self._index = LineageIndex(self.events)
        return self._index.follow(code, since, at)


class LineageIndex:
    """Lineage events indexed by source code, in date order (build once, follow many units)."""

    def __init__(self, events: Iterable[LineageEvent]) -> None:
        self.by_source: dict[str, list[LineageEvent]] = {}
        for e in sorted(events, key=lambda e: e.date):
            for src in e.sources:
                self.by_source.setdefault(src, []).append(e)

    def follow(self, code: str, since: date | None = None, at: date | None = None) -> dict[str, float | None]:
        """Successors of CODE through events dated after SINCE and up to AT (default today): code -> share."""
        result: dict[str, float | None] = {}
        _follow(self.by_source, code, since or date.min, at or date.today(), 1.0, result, 0)
        return result


def follow_lineage(events: Iterable[LineageEvent] | LineageIndex, code: str, since: date | None = None,
                   at: date | None = None) -> dict[str, float | None]:
    """Successors of CODE through EVENTS dated after SINCE and up to AT (default today): code -> share."""
    index = events if isinstance(events, LineageIndex) else LineageIndex(events)
    return index.follow(code, since, at)


def _follow(by_source: dict[str, list[LineageEvent]], code: str, after: date, at: date, share: float | None,
            out: dict[str, float | None], depth: int) -> None:
    if depth > 100:
        raise UnitError(f"Chuỗi sự kiện sáp nhập/chia tách của '{code}' quá dài (có vòng lặp?)")
    for e in by_source.get(code, ()):
        if e.date <= after or e.date > at:
            continue
        for target, part in e.mapping()[code].items():
            nxt = None if share is None or part is None else share * part
            _follow(by_source, target, e.date, at, nxt, out, depth + 1)
        return
    if code in out:
        prev = out[code]
        out[code] = None if prev is None or share is None else prev + share
    else:
        out[code] = share


def _boundaries(units: Iterable[OrgUnit], memberships: Iterable[Membership]) -> list[date]:
    days = {date.min}
    for u in [*units, *memberships]:
        if u.valid_from is not None:
            days.add(u.valid_from)
        if u.valid_to is not None and u.valid_to < date.max:
            days.add(date.fromordinal(u.valid_to.toordinal() + 1))
    return sorted(days)


def check_tree(units: list[OrgUnit], events: list[LineageEvent], memberships: list[Membership]) -> list[str]:
    """Every problem of the tree, in Vietnamese: overlapping versions, unknown parents, cycles, bad events."""
    problems: list[str] = []
    by_code: dict[str, list[OrgUnit]] = {}
    for u in units:
        if not u.code:
            problems.append(f"Đơn vị '{u.name}': thiếu mã")
        if u.valid_from and u.valid_to and u.valid_to < u.valid_from:
            problems.append(f"Đơn vị '{u.code}': ngày hết hiệu lực {u.valid_to} trước ngày hiệu lực {u.valid_from}")
        by_code.setdefault(u.code, []).append(u)
    for code, versions in by_code.items():
        versions.sort(key=lambda u: u.valid_from or date.min)
        for a, b in zip(versions, versions[1:], strict=False):
            if a.valid_to is None or (b.valid_from or date.min) <= a.valid_to:
                problems.append(f"Đơn vị '{code}': các phiên bản có thời gian hiệu lực chồng lấn "
                                f"({a.valid_from or '…'}–{a.valid_to or '…'} và {b.valid_from or '…'}–{b.valid_to or '…'})")
    for day in _boundaries(units, memberships):
        live = {u.code: u for u in units if u.valid_on(day)}
        label = "" if day == date.min else f" vào ngày {day.isoformat()}"
        for u in live.values():
            if u.parent is not None and u.parent not in live:
                msg = f"Đơn vị '{u.code}': đơn vị cấp trên '{u.parent}' không tồn tại{label}"
                if msg not in problems:
                    problems.append(msg)
        safe: set[str] = set()  # units whose ancestor chain is known to end without a cycle
        for start in live:
            path: list[str] = []
            on_path: set[str] = set()
            cur: str | None = start
            while cur is not None and cur in live and cur not in safe:
                if cur in on_path:
                    cycle = path[path.index(cur):] + [cur]
                    msg = "Cây đơn vị có vòng lặp: " + " → ".join(cycle) + label
                    if not any(p.startswith("Cây đơn vị có vòng lặp") and cur in p for p in problems):
                        problems.append(msg)
                    break
                path.append(cur)
                on_path.add(cur)
                cur = live[cur].parent
            safe.update(path)
    known = set(by_code)
    for i, e in enumerate(events):
        where = f"Sự kiện {i + 1} ({e.kind} ngày {e.date.isoformat()})"
        if e.kind not in EVENT_KINDS:
            problems.append(f"{where}: loại '{e.kind}' không hợp lệ (merge, split, rename, move)")
            continue
        if not e.sources or not e.targets:
            problems.append(f"{where}: cần ít nhất một đơn vị nguồn và một đơn vị đích")
            continue
        if e.kind == "merge" and len(e.targets) != 1:
            problems.append(f"{where}: sáp nhập phải có đúng một đơn vị đích")
        if e.kind == "split" and len(e.sources) != 1:
            problems.append(f"{where}: chia tách phải có đúng một đơn vị nguồn")
        if e.kind in ("rename", "move") and len(e.sources) != len(e.targets):
            problems.append(f"{where}: số đơn vị nguồn và đích phải bằng nhau")
        for c in [*e.sources, *e.targets]:
            if c not in known:
                problems.append(f"{where}: đơn vị '{c}' không có trong danh sách đơn vị")
        if e.shares:
            bad = [t for t in e.shares if t not in e.targets]
            if bad:
                problems.append(f"{where}: tỷ lệ chia cho đơn vị không phải đích: {', '.join(bad)}")
            if any(v < 0 for v in e.shares.values()) or abs(sum(e.shares.values()) - 1.0) > 1e-6:
                problems.append(f"{where}: các tỷ lệ chia phải không âm và cộng lại bằng 1")
    for m in memberships:
        if m.unit not in known:
            problems.append(f"Thành viên ban chỉ đạo: đơn vị '{m.unit}' không có trong danh sách đơn vị")
        if m.committee not in known:
            problems.append(f"Thành viên ban chỉ đạo: ban '{m.committee}' không có trong danh sách đơn vị")
    return problems
