"""Jinja2 templates of what Earful renders as HTML (``earful report``), shipped as package data."""
