"""The files the importers write: ``data/imports/<source>/<code>-<slug>.yaml``, one per département.

An imported file is generated, never edited by hand: a header says so and carries a checksum of what
follows it (``check`` refuses a file whose checksum no longer matches, and says where the change
belongs: the département file). Its structures are ordinary ``Structure`` records, so that the site
shows them with the same templates, plus the date the source gives for the record. The file names the
dataset it comes from with the attribution its licence requires (producer, download address, file
name and date).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from .models import Modele, Structure, french
from .values import CodeDepartement, Texte, UrlHttps, UrlSource, slugify

SOURCE_CODES = ("annuaire-service-public", "finess")
"""The imported sources, as they name the folders of data/imports/ and the importer commands."""

ID_PREFIXES = {"annuaire-service-public": "asp-", "finess": "finess-"}
"""How the stable id of an imported record starts: ``asp-<slug of the Annuaire's id>``, ``finess-<n° FINESS ET>``."""

DERIVED_SUFFIXES = ("-pcpe", "-repit")
"""A FINESS site that also runs a PCPE or a respite platform gets a second record, ``finess-<n>-pcpe`` or
``finess-<n>-repit``: families look for these services by their own type."""

CHECKSUM_PREFIX = "# empreinte : sha256 "
"""The header line that carries the checksum of everything after it."""


def asp_id(identifier: str) -> str:
    """The stable id of a record of the Annuaire de l'administration."""
    return f"asp-{slugify(identifier)}"


def finess_id(number: str, suffix: str = "") -> str:
    """The stable id of a FINESS site (``suffix``: one of DERIVED_SUFFIXES, or nothing)."""
    return f"finess-{number.lower()}{suffix}"


def checksum(body: str) -> str:
    """The checksum of the body of a generated file (what follows the checksum line)."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def split_generated(text: str) -> tuple[str | None, str]:
    """The checksum written in a generated file's header (None if there is none) and the body it covers."""
    match = re.search(rf"^{re.escape(CHECKSUM_PREFIX)}([0-9a-f]{{64}})\n", text, re.M)
    if match is None:
        return None, text
    return match.group(1), text[match.end():]


class JeuDeDonnees(Modele):
    """The dataset an imported file comes from, with what its licence asks re-users to say."""

    model_config = french(
        "Jeu de données",
        "Le jeu de données officiel d'où viennent les fiches du fichier, avec ce que sa licence demande de citer.",
    )

    nom: Texte = Field(title="Nom", description="Nom du jeu de données.", max_length=200)
    producteur: Texte = Field(title="Producteur", description="Qui publie ces données (paternité).", max_length=200)
    page: UrlHttps = Field(title="Page", description="Page publique du jeu de données.")
    telechargement: UrlSource = Field(
        title="Adresse de téléchargement", description="Adresse d'où le fichier a été téléchargé."
    )
    fichier: Texte = Field(title="Fichier", description="Nom du fichier lu.", max_length=300)
    date: dt.date = Field(title="Date", description="Date du fichier (ses données sont de ce jour-là).")
    licence: Texte = Field(title="Licence", description="Licence des données.", max_length=200)
    licence_url: UrlHttps = Field(title="Adresse de la licence", description="Texte de la licence.")


class StructureImportee(Structure):
    """A structure as an official dataset describes it; never « vérifié » by a person."""

    model_config = french(
        "Structure importée",
        "Une structure telle qu'un jeu de données officiel la décrit (fichier généré : ne le modifiez pas).",
    )

    mis_a_jour_le: dt.date | None = Field(
        None,
        title="Mis à jour le",
        description="Date de la dernière mise à jour de la fiche dans le jeu de données.",
    )

    @model_validator(mode="after")
    def _never_verified(self) -> StructureImportee:
        if self.verifie_le is not None:
            raise PydanticCustomError(
                "import_verifie",
                "une fiche importée n'est jamais « vérifiée » : la vérification par une personne s'écrit dans le "
                "fichier du département, sur la structure qui complète cette fiche",
            )
        return self


class FichierImport(Modele):
    """``data/imports/<source>/<code>-<slug>.yaml``: the records of one source for one département."""

    model_config = french(
        "Fichier importé",
        "Les fiches d'un jeu de données officiel pour un département (data/imports/<source>/<code>-<nom>.yaml). "
        "Fichier généré par « python build.py importer … » : ne le modifiez pas à la main.",
    )

    source: Literal["annuaire-service-public", "finess"] = Field(
        title="Source", description="Le jeu de données importé : annuaire-service-public ou finess.",
        json_schema_extra={"errorMessage": "source : annuaire-service-public ou finess (fichier produit par l'import)"},
    )
    departement: CodeDepartement = Field(title="Département", description="Code du département.")
    jeu_de_donnees: JeuDeDonnees = Field(title="Jeu de données", description="D'où viennent ces fiches.")
    structures: list[StructureImportee] = Field(
        title="Structures", default_factory=list, description="Les fiches importées, triées par identifiant."
    )

    @model_validator(mode="after")
    def _ids_follow_the_source(self) -> FichierImport:
        for structure in self.structures:
            if structure.id not in expected_ids(self.source, structure):
                raise PydanticCustomError(
                    "import_identifiant",
                    "identifiant « {id} » inattendu pour une fiche {source} : il est calculé par l'importeur ; "
                    "relancez « python build.py importer {source} »",
                    {"id": structure.id, "source": self.source},
                )
        return self


def expected_ids(source: str, structure: Structure) -> set[str]:
    """The ids an imported record may have, from its source identifier."""
    if source == "finess" and structure.finess:
        return {finess_id(structure.finess, suffix) for suffix in ("", *DERIVED_SUFFIXES)}
    if source == "annuaire-service-public" and structure.annuaire_service_public:
        return {asp_id(structure.annuaire_service_public)}
    return set()


__all__ = [
    "CHECKSUM_PREFIX",
    "DERIVED_SUFFIXES",
    "ID_PREFIXES",
    "SOURCE_CODES",
    "FichierImport",
    "JeuDeDonnees",
    "StructureImportee",
    "asp_id",
    "checksum",
    "expected_ids",
    "finess_id",
    "split_generated",
]
