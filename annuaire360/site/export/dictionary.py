"""The data dictionary (/donnees/dictionnaire/): every field of every export, with its type, meaning,
example and vocabulary.

The fields of annuaire.json come from the format's models (their French titles, descriptions and
examples); the fields the exporters compute are described here, beside the mapping tables of
``data_inclusion``. ``tests/test_dictionary.py`` checks that each table lists exactly the fields found
in the built files, so the dictionary cannot drift from the exports.
"""

from __future__ import annotations

import datetime as dt
import types as pytypes
from dataclasses import dataclass, field
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from ... import format as fmt
from ...format.values import Phone
from ..model import Annuaire
from . import data_inclusion as di
from .tables import CSV_COLUMNS


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    meaning: str
    example: str = ""
    vocabulary: str = ""


@dataclass(frozen=True)
class Table:
    """The fields of one file (or one kind of record in it)."""

    anchor: str
    title: str
    files: tuple[str, ...]
    intro: str
    fields: list[Field] = field(default_factory=list)


def _kind(annotation: Any) -> str:
    origin = get_origin(annotation)
    if origin in (Union, pytypes.UnionType):
        return " ou ".join(_kind(arg) for arg in get_args(annotation) if arg is not type(None))
    if origin is list:
        inner = _kind(get_args(annotation)[0])
        return "liste d'objets" if inner == "objet" else f"liste de {inner}"
    if origin is Annotated:
        return _kind(get_args(annotation)[0])
    simple = {str: "texte", int: "entier", float: "nombre", bool: "booléen", dt.date: "date (AAAA-MM-JJ)",
              Phone: "téléphone (E.164, +33…)"}
    if annotation in simple:
        return simple[annotation]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "objet"
    return "texte"


def model_fields(model: type[BaseModel], prefix: str = "") -> list[Field]:
    """Every field of a model, nested models' fields after theirs (``contacts[].telephone``)."""
    rows: list[Field] = []
    for name, info in model.model_fields.items():
        path = prefix + name
        example = str(info.examples[0]) if info.examples else ""
        codes = fmt.vocabulary_codes(info)
        rows.append(Field(path, _kind(info.annotation), info.description or info.title or "", example, ", ".join(codes)))
        nested = fmt.nested_models(info.annotation)
        many = "liste" in _kind(info.annotation)
        for inner in nested:
            rows += model_fields(inner, path + ("[]." if many else "."))
    return rows


def _rows(*rows: tuple[str, str, str] | tuple[str, str, str, str] | tuple[str, str, str, str, str]) -> list[Field]:
    return [Field(*row) for row in rows]


def _annuaire_table(annuaire: Annuaire) -> Table:
    rows = _rows(
        ("titre", "texte", "Nom de l'annuaire."), ("licence", "objet", "Nom et adresse de la licence des données."),
        ("genere_le", "date (AAAA-MM-JJ)", "Jour de la construction du site."),
        ("numero_national", "objet", "Le numéro national (mêmes champs que data/national.yaml)."),
        ("types", "liste d'objets", "Les types de structures (code, libellé, explication)."),
        ("departements", "liste d'objets", "Chaque département : code, nom, région, adresse de sa page, sa communauté "
         "360 (mêmes champs que dans data/departements/), les identifiants de ses structures et des ressources qui le couvrent."),
        ("structures", "liste d'objets", "Chaque structure : les champs ci-dessous."),
        ("structures[].url_fiche", "texte (URL)", "Adresse de la fiche sur le site.", annuaire.site.url + "/structures/…/"),
        ("structures[].departements_couverts", "liste de texte", "Codes des départements couverts (vide si nationale).", '["59", "62"]'),
        ("structures[].nationale", "booléen", "true pour une ressource nationale."),
    )
    types = ", ".join(annuaire.types)
    rows += [Field(f"structures[].{row.name}", row.type, row.meaning, row.example, types if row.name == "type" else row.vocabulary)
             for row in model_fields(fmt.Structure)]
    return Table("annuaire-json", "annuaire.json — tout l'annuaire", ("/donnees/annuaire.json",),
                 "Le numéro national, les types, les départements et toutes les structures, avec leurs sources.", rows)


_CSV_MEANINGS = {
    "id": "Identifiant stable de la structure.", "nom": "Nom.", "type": "Code du type.", "type_libelle": "Type en toutes lettres.",
    "departements": "Codes des départements couverts, séparés par des espaces (« France entière » pour une ressource nationale).",
    "role": "Rôle dans la communauté 360.", "notification_mdph": "Faut-il une notification de la MDPH.", "acces": "Comment y accéder.",
    "age_min": "Âge minimum.", "age_max": "Âge maximum.", "situations": "Codes des situations, séparés par des espaces.",
    "aidants": "« oui » si le service aide aussi les aidants.", "professionnels": "« oui » s'il conseille aussi les professionnels.",
    "telephone": "Premier téléphone, en chiffres groupés.", "courriel": "Premier courriel.", "site_web": "Site web.",
    "adresse": "Numéro et rue.", "code_postal": "Code postal.", "commune": "Commune.", "code_insee": "Code INSEE de la commune.",
    "horaires_accueil": "Horaires de l'accueil (syntaxe OpenStreetMap).", "url_fiche": "Adresse de la fiche.",
    "sources": "Adresses des sources, séparées par des espaces.", "verifie_le": "Date de vérification auprès du service.",
    "verifie_par": "Qui a vérifié (un rôle, jamais le nom d'une personne).",
}

_DI_COMMON = {
    "source": ("texte", f"Producteur des données : toujours « {di.SOURCE} »."),
    "id": ("texte", f"Identifiant data·inclusion : « {di.SOURCE}-- » puis notre identifiant."),
    "nom": ("texte", "Nom (coupé à 150 caractères si besoin)."),
    "date_maj": ("date", "Dernière mise à jour : le jour le plus récent où une source a été lue ou l'information vérifiée."),
    "description": ("texte (Markdown)", "Ce que fait le service."),
    "lien_source": ("texte (URL)", "Adresse de la fiche (ou de la page du département) sur ce site."),
    "siret": ("texte", "SIRET du gestionnaire ou du porteur, s'il est publié."),
    "adresse": ("texte", "Numéro et rue."), "complement_adresse": ("texte", "Complément d'adresse."),
    "code_postal": ("texte", "Code postal."), "commune": ("texte", "Commune."), "code_insee": ("texte", "Code INSEE de la commune."),
    "latitude": ("nombre", "Latitude (WGS84)."), "longitude": ("nombre", "Longitude (WGS84)."),
    "telephone": ("texte", "Premier téléphone, au format E.164 (+33…)."), "courriel": ("texte", "Premier courriel."),
    "site_web": ("texte (URL)", "Site web."), "horaires_accueil": ("texte", "Horaires, syntaxe OpenStreetMap."),
}
_DI_STRUCTURE = {
    **_DI_COMMON,
    "reseaux_porteurs": ("liste de codes", "Réseau de la structure, d'après son type (table de correspondance plus bas)."),
}
_DI_SERVICE = {
    **_DI_COMMON,
    "structure_id": ("texte", "Identifiant de la structure qui rend le service (le même que celui du service)."),
    "type": ("code", "Type de service data·inclusion, d'après notre type (table plus bas)."),
    "thematiques": ("liste de codes", "Thématiques data·inclusion, d'après notre type et le public (table plus bas)."),
    "publics": ("liste de codes", "Toujours personnes-en-situation-de-handicap ; familles si le service aide les aidants ; "
                "jeunes si l'âge maximum est 25 ans ou moins ; seniors si l'âge minimum est 60 ans ou plus."),
    "publics_precisions": ("texte", "Le public en mots : âges, situations de handicap, aidants, professionnels."),
    "frais": ("code", "« gratuit » pour le numéro national et les communautés 360 (appel gratuit) ; absent ailleurs."),
    "frais_precisions": ("texte", "Précision sur les frais."),
    "conditions_acces": ("texte", "Faut-il une notification de la MDPH (absent si on ne sait pas)."),
    "modes_accueil": ("liste de codes", "a-distance s'il y a un téléphone, un courriel ou un formulaire ; en-presentiel s'il y a une adresse."),
    "modes_mobilisation": ("liste de codes", "telephoner, envoyer-un-courriel, utiliser-lien-mobilisation selon les contacts publiés."),
    "lien_mobilisation": ("texte (URL)", "Formulaire de contact en ligne."),
    "mobilisable_par": ("liste de codes", "D'après notre champ acces (table plus bas)."),
    "mobilisation_precisions": ("texte", "Comment y accéder, en mots."),
    "zone_eligibilite": ("liste de codes", "Codes COG des communes ou EPCI couverts, sinon des départements ; « france » pour une ressource nationale."),
}

_HSDS_SERVICE = {
    "id": "UUID stable (UUID v5 de l'adresse du site et de notre identifiant).", "name": "Nom.", "alternate_name": "Sigle.",
    "description": "Explication du type, puis notre description.", "url": "Adresse de la fiche sur ce site.",
    "email": "Premier courriel.", "status": "Toujours « active ».", "application_process": "Comment y accéder.",
    "eligibility_description": "Faut-il une notification de la MDPH.", "fees_description": "Frais (appel gratuit pour les communautés 360).",
    "minimum_age": "Âge minimum.", "maximum_age": "Âge maximum.", "assured_date": "Date de vérification auprès du service.",
    "last_modified": "Dernière mise à jour (date de la source la plus récente ou de la vérification).",
    "phones": "Chaque téléphone (type voice) et numéro de SMS (type text), avec son libellé, pour qui, gratuit ou non.",
    "schedules": "Horaires de chaque contact : règles hebdomadaires (byday, opens_at, closes_at) et le texte OpenStreetMap dans notes.",
    "service_areas": "Territoire couvert : un code COG par zone, avec le lien vers sa page INSEE.",
    "service_at_locations": "L'accueil sur place (location physique, adresse, coordonnées, horaires), quand l'adresse est publiée.",
    "languages": "Langue : français.", "organization_id": "UUID de l'organisation.",
    "organization": "L'organisation : le gestionnaire ou le porteur s'il est publié, sinon la structure elle-même.",
    "attributes": "Notre type et nos situations, comme termes de deux taxonomies (type, situation) décrites plus bas.",
}
_HSDS_ORGANIZATION = {
    "id": "UUID stable.", "name": "Nom.", "description": "Ce que gère l'organisation (ou le type et le territoire de la structure).",
    "website": "Site web.", "organization_identifiers": "SIRET et FINESS publiés.",
}
_GEOJSON = {
    "id": "Identifiant de la structure.", "nom": "Nom.", "type": "Code du type.", "type_libelle": "Type en toutes lettres.",
    "adresse": "Numéro et rue.", "complement_adresse": "Complément.", "code_postal": "Code postal.", "commune": "Commune.",
    "code_insee": "Code INSEE.", "telephone": "Premier téléphone (E.164).", "horaires_accueil": "Horaires (OpenStreetMap).",
    "url_fiche": "Adresse de la fiche.", "date_maj": "Dernière mise à jour.",
}
_ATOM = {
    "feed/id": "Adresse du flux.", "feed/title": "Titre.", "feed/subtitle": "Ce que contient le flux.",
    "feed/updated": "Date de la modification la plus récente.", "feed/link": "Le flux lui-même (self) et la page des données (alternate).",
    "feed/author": "L'éditeur et le dépôt.", "feed/rights": "Licence des données.", "feed/generator": "Le programme qui construit le site.",
    "entry/id": "Identifiant tag: de la modification (site, date, page) : une nouvelle modification a un nouvel identifiant.",
    "entry/title": "Nom de la fiche ou de la communauté.", "entry/updated": "Date de la modification.",
    "entry/link": "Adresse de la page.", "entry/summary": "Ce qui a changé, en français : sources lues ce jour-là, vérification.",
}
_VCARD = {
    "VERSION": "4.0.", "KIND": "org (un service, pas une personne).", "FN": "Nom.", "ORG": "Nom.",
    "TEL": "Chaque téléphone (TYPE=work,voice) et SMS (TYPE=work,text), en URI tel: au format E.164 ; le premier est préféré (PREF=1).",
    "EMAIL": "Courriels.", "ADR": "Adresse de l'accueil.", "GEO": "Coordonnées, si elles sont publiées.", "URL": "Site web.",
    "NOTE": "Libellé, horaires en mots et gratuité de chaque numéro ; adresse de la fiche.",
    "UID": "Identifiant stable (urn:uuid).", "REV": "Dernière mise à jour.", "SOURCE": "Adresse de la carte sur ce site.",
}


def _keyed(table: dict[str, tuple[str, str]]) -> list[Field]:
    return [Field(name, kind, meaning) for name, (kind, meaning) in table.items()]


def _plain(table: dict[str, str], kind: str = "") -> list[Field]:
    return [Field(name, kind, meaning) for name, meaning in table.items()]


def mapping_rows(annuaire: Annuaire) -> list[tuple[str, str, str, str, str]]:
    """Our types → data·inclusion type, thematiques and reseaux_porteurs (code, label, three columns)."""
    return [(code, t.libelle, di.SERVICE_TYPES.get(code, "—"), ", ".join(di.THEMATIQUES.get(code, ())) or "—",
             di.RESEAUX_PORTEURS.get(code, "—")) for code, t in annuaire.types.items()]


def tables(annuaire: Annuaire) -> list[Table]:
    """Every table of the dictionary, in the order of the page."""
    return [
        _annuaire_table(annuaire),
        Table("structures-csv", "structures.csv — une ligne par structure", ("/donnees/structures.csv",),
              "Pour un tableur (UTF-8 avec BOM, séparateur virgule).",
              [Field(name, "texte", _CSV_MEANINGS[name]) for name in CSV_COLUMNS]),
        Table("data-inclusion-structures", "data·inclusion — structures", ("/donnees/data-inclusion/structures.json",),
              "Schéma data·inclusion v1 (paquet data-inclusion-schema 1.0.10). Une structure par structure de l'annuaire, "
              "une par communauté 360 publiée, une pour le numéro national.", _keyed(_DI_STRUCTURE)),
        Table("data-inclusion-services", "data·inclusion — services", ("/donnees/data-inclusion/services.json",),
              "Un service par structure (même identifiant).", _keyed(_DI_SERVICE)),
        Table("hsds-services", "Open Referral HSDS 3.0 — services", ("/donnees/hsds/services.json",),
              "Un service complet par structure et par communauté 360 publiée, avec ses objets imbriqués (schéma "
              "« service » compilé de HSDS 3.0).", _plain(_HSDS_SERVICE, "voir HSDS 3.0")),
        Table("hsds-organizations", "Open Referral HSDS 3.0 — organisations", ("/donnees/hsds/organizations.json",),
              "Les organisations (schéma « organization » de HSDS 3.0).", _plain(_HSDS_ORGANIZATION, "voir HSDS 3.0")),
        Table("geojson", "GeoJSON — propriétés de chaque point", ("/donnees/structures.geojson",),
              "Les structures dont l'accueil a des coordonnées (RFC 7946 : longitude puis latitude, WGS84).",
              _plain(_GEOJSON, "texte ou nombre")),
        Table("atom", "Flux Atom des modifications", ("/donnees/modifications.atom",),
              "Les 100 modifications les plus récentes (RFC 4287).", _plain(_ATOM, "élément Atom")),
        Table("vcard", "Fiches contact (vCard 4.0)", ("/donnees/numero-national.vcf", "/donnees/vcard/<identifiant>.vcf"),
              "Une par structure qui a un téléphone, et une pour le numéro national (RFC 6350, type text/vcard).",
              _plain(_VCARD, "propriété vCard")),
    ]
