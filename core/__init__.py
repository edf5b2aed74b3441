"""Earful's pure core: interview scripts, the engine, follow-up probes, stories and the service.

Nothing in this package performs I/O or imports a platform SDK, a database driver or a
vector store; those live in ``adapters`` and are handed in through the Protocols in
:mod:`core.ports`.
"""
