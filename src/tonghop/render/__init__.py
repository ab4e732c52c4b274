"""ReportData -> DOCX (Decree 30 layout), XLSX, charts; a registry of renderers.

Usage: ``from tonghop.render import ReportData, render; render("docx", data, "bao-cao.docx")``.
"""

from tonghop.render.model import (
    ReportComparison,
    ReportData,
    ReportSection,
    ReportTable,
    Series,
    Signer,
)
from tonghop.render.registry import formats, register, render

__all__ = ["ReportComparison", "ReportData", "ReportSection", "ReportTable", "Series", "Signer", "formats",
           "register", "render"]
