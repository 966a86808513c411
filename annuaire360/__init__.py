"""Annuaire des communautés 360: a static directory generator.

Stages, one module each: load → validate → model → render → index → write (``pipeline.py``).
"""

__version__ = "0.1.0"
