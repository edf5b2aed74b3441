"""Earful's composition root: settings, the ``earful`` command line, and the wiring that
builds the service from the chosen adapters."""
