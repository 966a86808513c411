"""Annuaire des communautés 360: a static directory generator.

Stages, one sub-package each, read top-down in ``pipeline.py``: ``source`` (load → validate) → ``site`` (model →
render → export) → ``publish`` (write, index). ``format`` is the data format; ``tools`` the contributor tools.
"""

__version__ = "0.1.0"
