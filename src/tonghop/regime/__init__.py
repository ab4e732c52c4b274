"""Reporting rules, pure: org units, templates, periods, submissions, consolidation."""
