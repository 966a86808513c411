"""The YAML data format, as pydantic models: the single source of truth.

The JSON Schema (``schema/``), the field reference of the contributor guide and the error
messages all come from these classes. Field names are French and follow data·inclusion where it
has a name for the thing (``nom``, ``telephone``, ``courriel``, ``site_web``, ``adresse``,
``code_postal``, ``commune``, ``code_insee``, ``horaires_accueil``, ``zone_eligibilite``).
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .diagnostics import suggest
from .values import (
    DEPARTEMENT_CODES,
    CodeDepartement,
    CodeEpci,
    CodeInsee,
    CodePostal,
    Courriel,
    Finess,
    Horaires,
    Markdown,
    Siret,
    Slug,
    Telephone,
    Texte,
    UrlHttps,
    UrlSource,
)


def today() -> dt.date:
    """The build date: SOURCE_DATE_EPOCH when set (reproducible builds), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()


def _reject_future(value: dt.date | None) -> dt.date | None:
    """Field validator of the dates a person writes (read on, verified on): never after today."""
    if value is not None and value > today():
        raise PydanticCustomError(
            "date_dans_le_futur",
            "date {value} dans le futur : écrivez le jour où l'information a été lue ou vérifiée, "
            "aujourd'hui au plus tard (AAAA-MM-JJ)",
            {"value": str(value)},
        )
    return value


class Modele(BaseModel):
    """Base of every model: unknown keys are errors, values are not silently converted to text."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, validate_default=False)


# ---------------------------------------------------------------------------
# Vocabularies

SITUATIONS: dict[str, str] = {
    "tous-handicaps": "Tous les handicaps",
    "autisme-tnd": "Autisme et troubles du neurodéveloppement",
    "psychique": "Handicap psychique",
    "moteur": "Handicap moteur",
    "sensoriel": "Handicap sensoriel",
    "auditif": "Surdité, malentendance",
    "visuel": "Cécité, malvoyance",
    "intellectuel": "Handicap intellectuel",
    "cognitif": "Troubles cognitifs",
    "polyhandicap": "Polyhandicap",
    "handicaps-rares": "Handicaps rares",
    "cerebrolesion": "Lésion cérébrale acquise (traumatisme crânien, AVC)",
    "maladie-invalidante": "Maladie chronique invalidante",
}
"""Plain French label of each situation code."""

# Each closed vocabulary is written once, as a dict of labels; its Literal type (what the YAML may hold,
# and the JSON Schema's enum) is derived from the dict's keys.
Situation = Literal[tuple(SITUATIONS)]  # type: ignore[valid-type]

ROLES: dict[str, str] = {
    "membre-coeur": "Membre cœur de la communauté 360",
    "partenaire": "Partenaire de la communauté 360",
    "non-precise": "Nous ne savons pas si elle fait partie de la communauté 360",
}
Role = Literal[tuple(ROLES)]  # type: ignore[valid-type]

NOTIFICATIONS: dict[str, str] = {
    "oui": "Il faut une notification (décision) de la MDPH.",
    "non": "Pas besoin de notification de la MDPH.",
    "inconnu": "Nous ne savons pas s'il faut une notification de la MDPH : demandez-le en appelant.",
}
Notification = Literal[tuple(NOTIFICATIONS)]  # type: ignore[valid-type]

ACCES: dict[str, str] = {
    "direct": "Les personnes et les familles peuvent contacter directement.",
    "professionnel": "Il faut passer par un professionnel (médecin, MDPH, service social…).",
    "direct-ou-professionnel": "Les familles peuvent contacter directement, les professionnels aussi.",
    "inconnu": "Nous ne savons pas comment on y accède : appelez le numéro national, il peut vous orienter.",
}
Acces = Literal[tuple(ACCES)]  # type: ignore[valid-type]

POUR: dict[str, str] = {
    "tous": "Pour tout le monde",
    "familles": "Pour les personnes et les familles",
    "professionnels": "Pour les professionnels",
}
Pour = Literal[tuple(POUR)]  # type: ignore[valid-type]


# ---------------------------------------------------------------------------
# Building blocks


class Source(Modele):
    """A public page where the facts were read."""

    url: UrlSource = Field(description="Adresse de la page publique où l'information a été lue.")
    consulte_le: dt.date = Field(description="Date à laquelle la page a été lue, au format AAAA-MM-JJ.")
    titre: Texte | None = Field(None, description="Titre de la page ou nom du document.", max_length=300)
    publie_le: dt.date | None = Field(None, description="Date de publication de la page, si elle est indiquée.")

    _not_future = field_validator("consulte_le", "publie_le")(_reject_future)


class Organisation(Modele):
    """An organisation: porteur of a communauté, gestionnaire of a structure."""

    nom: Texte = Field(description="Nom de l'organisation, tel qu'elle l'écrit.", max_length=200)
    siret: Siret | None = Field(None, description="Numéro SIRET (14 chiffres), entre guillemets.")
    finess: Finess | None = Field(None, description="Numéro FINESS (9 caractères), entre guillemets.")
    site_web: UrlHttps | None = Field(None, description="Site web de l'organisation (https://…).")


class PointDeContact(Modele):
    """One way to reach a service: a phone line, an e-mail box, a form, with its hours and audience."""

    libelle: Texte = Field(
        description="À quoi sert ce contact, en quelques mots : « Accueil », « Ligne des aidants »…",
        max_length=120,
    )
    telephone: Telephone | None = Field(None, description="Numéro de téléphone, entre guillemets : \"03 53 01 23 45\".")
    sms: Telephone | None = Field(None, description="Numéro pour envoyer un SMS, s'il existe.")
    courriel: Courriel | None = Field(None, description="Adresse électronique.")
    formulaire: UrlHttps | None = Field(None, description="Adresse d'un formulaire de contact en ligne (https://…).")
    horaires: Horaires | None = Field(
        None,
        description="Heures où l'on répond, syntaxe OpenStreetMap : \"Mo-Fr 09:00-12:00,14:00-17:00; PH off\".",
    )
    pour: Pour = Field("tous", description="Qui peut utiliser ce contact : tous, familles ou professionnels.")
    accessibilite: Texte | None = Field(
        None,
        description="Moyens pour les personnes sourdes, malentendantes ou aphasiques : relais téléphonique, "
        "visio en LSF, SMS… Seulement s'ils sont publiés.",
        max_length=300,
    )
    precisions: Texte | None = Field(None, description="Autre précision utile (langues parlées, délai de réponse…).", max_length=300)

    @model_validator(mode="after")
    def _one_channel(self) -> PointDeContact:
        if not (self.telephone or self.sms or self.courriel or self.formulaire):
            raise PydanticCustomError(
                "contact_vide",
                "ce point de contact n'a aucun moyen de contact : ajoutez telephone, sms, courriel ou formulaire",
            )
        return self


class Public(Modele):
    """Who a service is for."""

    age_min: int | None = Field(None, ge=0, le=120, description="Âge minimum, en années (0 pour la naissance).")
    age_max: int | None = Field(None, ge=0, le=120, description="Âge maximum, en années. Laissez vide s'il n'y en a pas.")
    situations: list[Situation] = Field(
        default_factory=list,
        description="Situations de handicap accompagnées. Laissez vide si ce n'est pas précisé.",
    )
    aidants: bool = Field(False, description="true si le service aide aussi les aidants (famille, proches).")
    professionnels: bool = Field(False, description="true si le service conseille aussi les professionnels.")
    precisions: Texte | None = Field(None, description="Autre précision sur le public.", max_length=300)

    @model_validator(mode="after")
    def _ages_ordered(self) -> Public:
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise PydanticCustomError(
                "ages",
                "âge minimum ({min}) plus grand que l'âge maximum ({max}) : inversez-les",
                {"min": self.age_min, "max": self.age_max},
            )
        return self


class Territoire(Modele):
    """Where a service is available (data·inclusion's zone_eligibilite): départements, communes or EPCI."""

    departements: list[CodeDepartement] = Field(
        default_factory=list, description="Codes des départements couverts, entre guillemets : [\"59\", \"62\"]."
    )
    communes: list[CodeInsee] = Field(
        default_factory=list, description="Codes INSEE des communes couvertes, si le service ne couvre qu'une partie."
    )
    epci: list[CodeEpci] = Field(default_factory=list, description="Codes SIREN des intercommunalités couvertes.")
    precisions: Texte | None = Field(None, description="Description du territoire en mots.", max_length=300)


class Provenance(Modele):
    """Fields shared by everything that families will read: sources and human verification."""

    sources: list[Source] = Field(
        min_length=1, description="Pages publiques où ces informations ont été lues (au moins une)."
    )
    verifie_le: dt.date | None = Field(
        None,
        description="Date à laquelle une personne a vérifié ces informations auprès du service. "
        "Laissez vide si elles n'ont pas encore été vérifiées : le site l'indiquera.",
    )

    _not_future = field_validator("verifie_le")(_reject_future)


# ---------------------------------------------------------------------------
# Structures and the communauté


class Structure(Provenance):
    """A service or organisation that helps: a member of a communauté 360, or a wider resource."""

    id: Slug = Field(
        description="Identifiant stable, unique dans tout l'annuaire : minuscules, chiffres et tirets. "
        "Il sert d'adresse à la fiche : ne le changez plus une fois publié."
    )
    nom: Texte = Field(description="Nom du service, tel qu'il l'écrit.", max_length=200)
    sigle: Texte | None = Field(None, description="Sigle ou nom court (« PCPE 80 »).", max_length=40)
    type: Slug = Field(description="Type de structure : un code de data/types.yaml (« pcpe », « dac »…).")
    specialite: Texte | None = Field(
        None, description="Spécialité, surtout pour une équipe mobile (« autisme », « psychiatrie »…).", max_length=120
    )
    gestionnaire: Organisation | None = Field(None, description="Organisation qui gère le service.")
    role: Role = Field("non-precise", description="Rôle dans la communauté 360 : membre-coeur, partenaire ou non-precise.")
    public: Public = Field(default_factory=Public, description="À qui s'adresse le service.")
    notification_mdph: Notification = Field(
        "inconnu", description="Faut-il une notification de la MDPH pour en bénéficier : oui, non ou inconnu."
    )
    acces: Acces = Field(
        "inconnu",
        description="Comment y accéder : direct (les familles appellent), professionnel (il faut passer par un "
        "professionnel), direct-ou-professionnel, ou inconnu.",
    )
    zone_eligibilite: Territoire | None = Field(
        None,
        description="Territoire couvert. Dans un fichier de département, laissez vide pour tout le département.",
    )
    contacts: list[PointDeContact] = Field(default_factory=list, description="Moyens de contacter le service.")
    adresse: Texte | None = Field(None, description="Numéro et rue de l'accueil.", max_length=200)
    complement_adresse: Texte | None = Field(None, description="Bâtiment, étage…", max_length=200)
    code_postal: CodePostal | None = Field(None, description="Code postal, entre guillemets : \"01000\".")
    commune: Texte | None = Field(None, description="Commune de l'accueil.", max_length=100)
    code_insee: CodeInsee | None = Field(None, description="Code INSEE de la commune, entre guillemets.")
    horaires_accueil: Horaires | None = Field(
        None, description="Heures d'ouverture de l'accueil, syntaxe OpenStreetMap : \"Mo-Fr 09:00-17:00; PH off\"."
    )
    site_web: UrlHttps | None = Field(None, description="Site web du service (https://…).")
    description: Markdown | None = Field(
        None, description="Ce que fait le service, en phrases simples (Markdown : paragraphes, listes, liens)."
    )
    voir_aussi: list[Slug] = Field(
        default_factory=list,
        description="Identifiants d'autres structures de l'annuaire utiles aux mêmes familles (par exemple le CRA "
        "de la région) : la fiche propose un lien vers chacune.",
        max_length=10,
    )

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str, info: ValidationInfo) -> str:
        # The vocabulary is data (data/types.yaml), passed in the validation context.
        codes: list[str] | None = (info.context or {}).get("types")
        if codes is not None and value not in codes:
            raise PydanticCustomError(
                "type_inconnu",
                "type « {value} » inconnu{hint} (les types possibles sont dans data/types.yaml et dans le guide)",
                {"value": value, "hint": suggest(value, codes)},
            )
        return value

    @model_validator(mode="after")
    def _address_complete(self) -> Structure:
        if self.adresse and not (self.code_postal and self.commune):
            missing = " et ".join(name for name in ("code_postal", "commune") if not getattr(self, name))
            raise PydanticCustomError(
                "adresse_incomplete",
                "adresse sans {missing} : ajoutez {missing} pour qu'on puisse la trouver",
                {"missing": missing},
            )
        return self


class Communaute360(Provenance):
    """The communauté 360 of a département."""

    nom: Texte = Field(description="Nom utilisé localement (« Communauté 360 de l'Ain »).", max_length=200)
    porteur: Organisation | None = Field(None, description="Organisation qui porte la communauté (son « porteur »).")
    pilotes: list[Texte] = Field(
        default_factory=list,
        description="Institutions qui pilotent la communauté : ARS, conseil départemental, MDPH…",
    )
    zone_eligibilite: Territoire | None = Field(
        None, description="Territoire couvert, si ce n'est pas tout le département."
    )
    contacts: list[PointDeContact] = Field(
        default_factory=list,
        description="Contacts locaux publiés. Le numéro national (data/national.yaml) est ajouté partout automatiquement : ne l'écrivez pas ici.",
    )
    horaires: Horaires | None = Field(None, description="Heures où l'équipe locale répond, syntaxe OpenStreetMap.")
    presentation: Markdown | None = Field(None, description="Présentation de la communauté en phrases simples (Markdown).")


class FichierDepartement(Modele):
    """``data/departements/<code>-<nom>.yaml``: the communauté 360 of one département and its members."""

    code: CodeDepartement = Field(description="Code du département, entre guillemets : \"01\", \"2A\", \"974\".")
    nom: Texte = Field(description="Nom du département (« Ain »).")
    communaute: Communaute360 | None = Field(
        None, description="La communauté 360 du département. Laissez vide tant qu'aucune source publique n'en parle."
    )
    structures: list[Structure] = Field(default_factory=list, description="Les structures du département.")


class FichierRessources(Modele):
    """``data/ressources/<nom>.yaml``: resources that cover several départements, written once."""

    ressources: list[Structure] = Field(
        min_length=1,
        description="Ressources (CRA, ERHR, PCO…) ; chacune dit les départements qu'elle couvre dans zone_eligibilite.",
    )

    @field_validator("ressources")
    @classmethod
    def _zone_required(cls, value: list[Structure]) -> list[Structure]:
        for structure in value:
            if structure.zone_eligibilite is None or not structure.zone_eligibilite.departements:
                raise PydanticCustomError(
                    "zone_requise",
                    "la ressource « {id} » ne dit pas quels départements elle couvre : ajoutez-lui "
                    "zone_eligibilite, avec departements: [\"59\", \"62\"] par exemple",
                    {"id": structure.id},
                )
        return value


class NumeroNational(Provenance):
    """The national number: written once, shown on every page."""

    libelle: Texte = Field(description="Nom du numéro.")
    telephone: Telephone = Field(description="Le numéro national.")
    presentation: Markdown = Field(description="Ce que l'on obtient en appelant, en phrases simples.")
    horaires: Horaires | None = Field(None, description="Heures d'ouverture, seulement si une source les donne.")
    accessibilite: Texte | None = Field(None, description="Accès pour les personnes sourdes ou malentendantes.")


class FichierNational(Modele):
    """``data/national.yaml``: the national number and national resources."""

    numero_national: NumeroNational
    ressources_nationales: list[Structure] = Field(default_factory=list)


class TypeStructure(Modele):
    """One entry of the closed vocabulary of structure types (``data/types.yaml``)."""

    code: Slug = Field(description="Code stable, utilisé dans le champ type des structures.")
    libelle: Texte = Field(description="Nom en toutes lettres (« Pôle de compétences et de prestations externalisées »).")
    libelle_pluriel: Texte = Field(description="Titre d'un groupe de structures de ce type.")
    sigle: Texte | None = Field(None, description="Sigle (« PCPE »).")
    explication: Texte = Field(description="Une phrase simple qui dit ce que ce type de structure fait pour une famille.")
    code_ror: str | None = Field(None, description="Code de la nomenclature ROR (JDV_J238), s'il existe.")
    notification_mdph: Notification = Field("inconnu", description="Valeur habituelle pour ce type.")


class FichierTypes(Modele):
    """``data/types.yaml``."""

    types: list[TypeStructure] = Field(min_length=1)


class Region(Modele):
    """A région (INSEE code)."""

    code: str = Field(pattern=r"^\d{2}$", description="Code INSEE de la région, entre guillemets.")
    nom: Texte
    slug: Slug


class Departement(Modele):
    """A département (State circonscription, INSEE COG)."""

    code: CodeDepartement
    nom: Texte
    slug: Slug
    region: str = Field(pattern=r"^\d{2}$", description="Code INSEE de la région.")
    collectivite: Texte | None = Field(None, description="Collectivité qui exerce les compétences du département, si elle diffère.")


class FichierTerritoires(Modele):
    """``data/territoires.yaml``: régions and départements (INSEE Code officiel géographique)."""

    source: Source
    regions: list[Region]
    departements: list[Departement]

    @model_validator(mode="after")
    def _all_departements(self) -> FichierTerritoires:
        codes = [d.code for d in self.departements]
        if sorted(codes) != sorted(DEPARTEMENT_CODES):
            missing = sorted(set(DEPARTEMENT_CODES) - set(codes))
            raise PydanticCustomError(
                "departements", "liste des départements incomplète ou en double (manquent : {m})", {"m": ", ".join(missing)}
            )
        return self


class Accessibilite(Modele):
    """The accessibility status shown in the footer and the accessibility statement."""

    etat: Literal["totalement conforme", "partiellement conforme", "non conforme"]
    taux: float | None = Field(None, ge=0, le=100, description="Pourcentage de critères RGAA respectés, si un audit a été fait.")
    date_audit: dt.date | None = None
    contact: Courriel | None = Field(None, description="Adresse pour signaler un défaut d'accessibilité.")


class FichierSite(Modele):
    """``data/site.yaml``: site-wide settings (one place for the repository URL, the licence…)."""

    titre: Texte
    url: UrlHttps = Field(description="Adresse publique du site, sans barre finale.")
    depot: UrlHttps = Field(description="Dépôt GitHub des données (pour « Signaler une erreur »).")
    editeur: Texte = Field(description="Qui publie le site.")
    licence_donnees: Texte
    licence_donnees_url: UrlHttps
    accessibilite: Accessibilite
    signalement_courriel: Courriel | None = Field(None, description="Adresse pour signaler une erreur sans compte GitHub.")


FILE_MODELS: dict[str, type[Modele]] = {
    "departement": FichierDepartement,
    "ressources": FichierRessources,
    "national": FichierNational,
    "types": FichierTypes,
    "territoires": FichierTerritoires,
    "site": FichierSite,
}
"""Which model validates which kind of data file."""
