"""Importers of the official open data, beside the pipeline (never on the build path).

``python build.py importer annuaire-service-public|finess [--fichier F]`` reads the official file (given, or
downloaded from its official address), keeps the records families need, cleans every value with the
format's own validators and writes ``data/imports/<source>/<code>-<slug>.yaml``, one file per département,
atomically. ``check`` then reads them like any data file; the site merges them with the hand-written data
(hand-written data wins, field by field: ``source/imports.py``).

Modules: ``annuaire_service_public`` and ``finess`` (one per source: shapes, codes, traps), ``common``
(cleaning and the per-source summary), ``inputs`` (download and capped reading), ``jsonstream`` (records of a
large JSON one by one), ``records`` (a record → a validated imported structure), ``write`` (files, swap,
changes), ``run`` (the command).
"""
