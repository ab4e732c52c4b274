"""Errors raised by the reporting regime; every message names the field or unit and the reason, in Vietnamese."""

from __future__ import annotations


class RegimeError(ValueError):
    """Base class of the reporting regime's errors."""


class UnitError(RegimeError):
    """An org-unit tree is inconsistent (cycle, unknown parent, overlapping validity, bad lineage event)."""


class PeriodError(RegimeError):
    """A period code or period rule is invalid."""


class TemplateError(RegimeError):
    """A template definition is invalid; the message starts with the field path."""


class SubmissionError(RegimeError):
    """An illegal submission state change or an unparseable value."""
