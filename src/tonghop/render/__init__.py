"""ReportData -> DOCX (Decree 30 layout), XLSX, charts; a registry of renderers."""
