#!/usr/bin/env python3
"""Entry point: ``python build.py [build|check|serve|schema|guide] [--data DIR] [--out DIR]`` (see annuaire360/cli.py).

Before importing anything of the generator, check that Python and the libraries are there, and say in French
what to run when they are not (a contributor who types ``python build.py check`` on a fresh checkout).
"""

import importlib.util
import os
import sys

NEEDED = ("pydantic", "jinja2", "yaml", "markdown", "nh3", "phonenumbers", "email_validator", "opening_hours")
"""Modules of requirements.txt the checks and the build import (the preview and the index check their own)."""


def missing_setup():
    """What to tell a contributor whose Python cannot run the generator yet, or None when it can."""
    here = os.path.dirname(os.path.abspath(__file__))
    venv = os.path.join(here, ".venv")
    command = " ".join(["build.py", *sys.argv[1:]])
    if sys.version_info < (3, 11):
        return ("Python {}.{} est trop ancien : le générateur a besoin de Python 3.11 ou plus. Installez-le, puis "
                "lancez « make check » dans ce dossier.".format(*sys.version_info[:2]))
    absent = [name for name in NEEDED if importlib.util.find_spec(name) is None]
    if not absent:
        return None
    if os.path.exists(os.path.join(venv, "bin", "python")) and os.path.realpath(sys.prefix) != os.path.realpath(venv):
        return ("Ce Python n'a pas les outils du générateur, mais ils sont installés dans .venv/ : lancez "
                "« .venv/bin/python {} » (ou « make check », « make serve », « make site »).".format(command))
    return ("Les outils du générateur ne sont pas encore installés (module « {} » introuvable). Dans ce dossier, "
            "lancez « make check » : il les installe dans .venv/ (une seule fois, moins d'une minute) puis vérifie "
            "les données. Ensuite : « .venv/bin/python {} ». Sans make : « python3 -m venv .venv » puis "
            "« .venv/bin/pip install -r requirements.txt ».".format(absent[0], command))


if __name__ == "__main__":
    problem = missing_setup()
    if problem:
        print(problem, file=sys.stderr)
        sys.exit(2)
    from annuaire360.cli import main

    sys.exit(main())
