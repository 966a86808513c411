"""The front matter of a content page (``content/*.md``): the only YAML a page holds."""

from __future__ import annotations

from pydantic import Field

from .models import Modele, french
from .values import Slug, Texte

NUMBER_TOKEN = "[[numero-national]]"
"""Texts write this token where the national number goes (content pages, easy-read texts), so that the
number is written in data/national.yaml only."""


class EnTete(Modele):
    """Front matter of a content page."""

    model_config = french("En-tête d'une page", "Le titre, le résumé et l'adresse d'une page de content/.")

    titre: Texte = Field(title="Titre", description="Titre de la page (son h1).")
    description: Texte = Field(title="Description", description="Une phrase qui résume la page (pour les moteurs de recherche).")
    adresse: Slug | None = Field(None, title="Adresse", description="Adresse de la page ; par défaut le nom du fichier.")
