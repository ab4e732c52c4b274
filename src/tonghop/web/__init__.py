"""Jinja2 + htmx pages in Vietnamese."""
