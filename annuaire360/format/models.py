"""The YAML data format, as pydantic models: the single source of truth.

The JSON Schema (``schema/``), the field reference of the contributor guide and the error
messages all come from these classes. Field names are French and follow data·inclusion where it
has a name for the thing (``nom``, ``telephone``, ``courriel``, ``site_web``, ``adresse``,
``code_postal``, ``commune``, ``code_insee``, ``horaires_accueil``, ``zone_eligibilite``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from ..diagnostics import suggest, visible
from .values import (
    DEPARTEMENT_CODES,
    CheminDuSite,
    CodeDepartement,
    CodeEpci,
    CodeInsee,
    CodePostal,
    Courriel,
    Finess,
    Horaires,
    IdentifiantAsp,
    Markdown,
    Siret,
    Slug,
    Telephone,
    Texte,
    UrlHttps,
    UrlSource,
)
from .vocabularies import (
    TNCC,
    VERIFICATEURS,
    Acces,
    EtatAccessibilite,
    Notification,
    Pour,
    Role,
    Situation,
    Verificateur,
)


@dataclass(frozen=True)
class Context:
    """What validation needs beyond the file itself, passed in (never read from a global).

    ``today`` bounds the dates a person writes; ``types`` and ``besoins`` are the vocabularies of
    data/types.yaml and data/besoins.yaml (kept as data), None while those files are being read themselves.
    """

    today: dt.date
    types: tuple[str, ...] | None = None
    besoins: tuple[str, ...] | None = None  # the codes of data/besoins.yaml, None while it is read itself
    type_names: tuple[tuple[str, frozenset[str]], ...] = ()  # each code with the words naming it (type_names)


def context_of(info: ValidationInfo) -> Context | None:
    """The validation context of a validator call (None when a caller validates a model on its own:
    then the rules that need it are skipped, the build always passes one)."""
    return info.context if isinstance(info.context, Context) else None


EARLIEST_DATE = dt.date(1990, 1, 1)
"""No page was read, published or verified before the web existed: an earlier date is a slip of the year."""


def _reject_future(value: dt.date | None, info: ValidationInfo) -> dt.date | None:
    """Field validator of the dates a person writes (read on, verified on): never after today, never
    before the web (« 0205-03-14 » is a valid date, and a typing slip)."""
    if value is not None and value < EARLIEST_DATE:
        raise PydanticCustomError(
            "date_invraisemblable",
            "date {value} invraisemblable (avant {earliest}) : vérifiez l'année ; la date s'écrit AAAA-MM-JJ",
            {"value": str(value), "earliest": EARLIEST_DATE.year},
        )
    context = context_of(info)
    if value is not None and context is not None and value > context.today:
        raise PydanticCustomError(
            "date_dans_le_futur",
            "date {value} dans le futur : écrivez le jour où l'information a été lue ou vérifiée, "
            "aujourd'hui au plus tard (AAAA-MM-JJ)",
            {"value": str(value)},
        )
    return value


def _in_vocabulary(value: str, codes: tuple[str, ...] | None, kind: str, what: str, where: str) -> str:
    if codes is not None and value not in codes:
        raise PydanticCustomError(
            kind,
            "{what} « {value} » inconnu{hint} (les {what}s possibles sont dans {where})",
            {"what": what, "value": value, "hint": suggest(value, codes), "where": where},
        )
    return value


def _known_type(value: str, info: ValidationInfo) -> str:
    """A code of data/types.yaml (the vocabulary is data, passed in the validation context)."""
    context = context_of(info)
    return _in_vocabulary(value, context.types if context else None, "type_inconnu", "type",
                          "data/types.yaml et dans le guide")


def _known_besoin(value: str, info: ValidationInfo) -> str:
    """A code of data/besoins.yaml (passed in the validation context)."""
    context = context_of(info)
    return _in_vocabulary(value, context.besoins if context else None, "besoin_inconnu", "besoin",
                          "data/besoins.yaml")


CodeType = Annotated[Slug, AfterValidator(_known_type)]
"""A structure type: a code of data/types.yaml."""
CodeBesoin = Annotated[Slug, AfterValidator(_known_besoin)]
"""A need of the families: a code of data/besoins.yaml."""


_STOP_WORDS = frozenset({"de", "d", "du", "des", "la", "le", "l", "les", "et", "a", "au", "aux", "pour", "en", "un",
                         "une"})


def _words(text: str) -> frozenset[str]:
    """Significant words of a name, without accents, case or small words."""
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return frozenset(re.findall(r"[a-z0-9]+", plain)) - _STOP_WORDS


def type_names(types: list[TypeStructure] | tuple[TypeStructure, ...]) -> tuple[tuple[str, frozenset[str]], ...]:
    """Each type's code with every word that names it: its code, label, plural label and acronym."""
    return tuple((t.code, _words(" ".join([t.code, t.libelle, t.libelle_pluriel, t.sigle or ""]))) for t in types)


def types_named(value: str, names: tuple[tuple[str, frozenset[str]], ...]) -> list[str]:
    """The codes a French name, an acronym or a synonym written in ``type:`` may mean (« PFR », « répit »,
    « plateforme de répit » → plateforme-repit): every type whose words hold all the significant words written."""
    wanted = _words(value)
    if not wanted:
        return []
    exact = [code for code, words in names if _words(code) == wanted]
    return exact or [code for code, words in names if wanted <= words]


class Modele(BaseModel):
    """Base of every model: unknown keys are errors, values are not silently converted to text."""

    # allow_inf_nan: « .inf » and « .nan » are numbers in YAML, but no age or rate is infinite.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, validate_default=False,
                              allow_inf_nan=False)


def french(title: str, description: str) -> ConfigDict:
    """A model's French title and description, for the JSON Schema and the guide (docstrings are for developers)."""
    return ConfigDict(title=title, json_schema_extra={"description": description})


# ---------------------------------------------------------------------------
# Building blocks


class Source(Modele):
    """A public page where the facts were read."""

    model_config = french("Source", "Une page publique où les informations ont été lues.")

    url: UrlSource = Field(
        title="Adresse (URL)",
        description="Adresse de la page publique où l'information a été lue.",
        examples=["https://www.example.org/page"],
    )
    consulte_le: dt.date = Field(
        title="Consulté le",
        description="Date à laquelle la page a été lue, au format AAAA-MM-JJ.",
        examples=["2025-03-14"],
    )
    titre: Texte | None = Field(
        None,
        title="Titre",
        description="Titre de la page ou nom du document.",
        max_length=300,
    )
    publie_le: dt.date | None = Field(
        None,
        title="Publié le",
        description="Date de publication de la page, si elle est indiquée.",
        examples=["2025-01-10"],
    )

    _not_future = field_validator("consulte_le", "publie_le")(_reject_future)

    @model_validator(mode="after")
    def _published_before_read(self) -> Source:
        if self.publie_le is not None and self.publie_le > self.consulte_le:
            raise PydanticCustomError(
                "publie_apres_lecture",
                "publiée le {publie_le} mais lue le {consulte_le} : une page ne peut pas être lue avant d'être "
                "publiée ; vérifiez les deux dates (AAAA-MM-JJ)",
                {"publie_le": str(self.publie_le), "consulte_le": str(self.consulte_le)},
            )
        return self


class Organisation(Modele):
    """An organisation: porteur of a communauté, gestionnaire of a structure."""

    model_config = french("Organisation", "Une organisation : porteur d'une communauté, gestionnaire d'une structure.")

    nom: Texte = Field(title="Nom", description="Nom de l'organisation, tel qu'elle l'écrit.", max_length=200)
    siret: Siret | None = Field(
        None,
        title="SIRET",
        description="Numéro SIRET (14 chiffres), entre guillemets.",
        examples=["12345678901234"],
    )
    finess: Finess | None = Field(
        None,
        title="FINESS",
        description="Numéro FINESS (9 caractères), entre guillemets.",
        examples=["800000000"],
    )
    site_web: UrlHttps | None = Field(
        None,
        title="Site web",
        description="Site web de l'organisation (https://…).",
        examples=["https://www.example.org"],
    )


class PointDeContact(Modele):
    """One way to reach a service: a phone line, an e-mail box, a form, with its hours and audience."""

    model_config = french(
        "Point de contact",
        "Un moyen de joindre le service (téléphone, SMS, courriel, formulaire), avec ses horaires.",
    )

    libelle: Texte = Field(
        title="Libellé",
        description="À quoi sert ce contact, en quelques mots : « Accueil », « Ligne des aidants »…",
        max_length=120,
        examples=["Accueil"],
    )
    telephone: Telephone | None = Field(
        None,
        title="Téléphone",
        description="Numéro de téléphone, entre guillemets : \"03 53 01 23 45\".",
        examples=["03 53 01 23 45", "02 61 91 12 34"],
    )
    sms: Telephone | None = Field(
        None,
        title="SMS",
        description="Numéro pour envoyer un SMS, s'il existe.",
        examples=["06 39 98 12 34"],
    )
    courriel: Courriel | None = Field(
        None,
        title="Courriel",
        description="Adresse électronique.",
        examples=["contact@example.org"],
    )
    formulaire: UrlHttps | None = Field(
        None,
        title="Formulaire",
        description="Adresse d'un formulaire de contact en ligne (https://…).",
        examples=["https://www.example.org/contact"],
    )
    horaires: Horaires | None = Field(
        None,
        title="Horaires",
        description="Heures où l'on répond, syntaxe OpenStreetMap : \"Mo-Fr 09:00-12:00,14:00-17:00; PH off\".",
        examples=["Mo-Fr 09:00-12:00,14:00-17:00; PH off"],
    )
    pour: Pour = Field(
        "tous",
        title="Pour",
        description="Qui peut utiliser ce contact : tous, familles ou professionnels.",
    )
    accessibilite: Texte | None = Field(
        None,
        title="Accessibilité",
        description="Moyens pour les personnes sourdes, malentendantes ou aphasiques : relais téléphonique, "
        "visio en LSF, SMS… Seulement s'ils sont publiés.",
        max_length=300,
    )
    precisions: Texte | None = Field(
        None,
        title="Précisions",
        description="Autre précision utile (langues parlées, délai de réponse…).",
        max_length=300,
    )

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

    model_config = french("Public", "À qui s'adresse le service.")

    age_min: int | None = Field(
        None,
        title="Âge minimum",
        ge=0,
        le=120,
        description="Âge minimum, en années (0 pour la naissance).",
    )
    age_max: int | None = Field(
        None,
        title="Âge maximum",
        ge=0,
        le=120,
        description="Âge maximum, en années. Laissez vide s'il n'y en a pas.",
    )
    situations: list[Situation] = Field(
        title="Situations",
        default_factory=list,
        description="Situations de handicap accompagnées. Laissez vide si ce n'est pas précisé.",
    )
    aidants: bool = Field(
        False,
        title="Aidants",
        description="true si le service aide aussi les aidants (famille, proches).",
    )
    professionnels: bool = Field(
        False,
        title="Professionnels",
        description="true si le service conseille aussi les professionnels.",
    )
    precisions: Texte | None = Field(
        None,
        title="Précisions",
        description="Autre précision sur le public.",
        max_length=300,
    )

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

    model_config = french("Territoire", "Où le service est disponible : départements, communes ou intercommunalités.")

    departements: list[CodeDepartement] = Field(
        title="Départements",
        default_factory=list,
        description="Codes des départements couverts, entre guillemets : [\"59\", \"62\"].",
    )
    communes: list[CodeInsee] = Field(
        title="Communes",
        default_factory=list,
        description="Codes INSEE des communes couvertes, si le service ne couvre qu'une partie.",
    )
    epci: list[CodeEpci] = Field(
        title="Intercommunalités (EPCI)",
        default_factory=list,
        description="Codes SIREN des intercommunalités couvertes.",
    )
    precisions: Texte | None = Field(
        None,
        title="Précisions",
        description="Description du territoire en mots.",
        max_length=300,
    )


class Provenance(Modele):
    """Fields shared by everything that families will read: sources and human verification."""

    sources: list[Source] = Field(
        min_length=1, title="Sources", description="Pages publiques où ces informations ont été lues (au moins une)."
    )
    verifie_le: dt.date | None = Field(
        None,
        title="Vérifié le",
        description="Date à laquelle une personne a vérifié ces informations auprès du service. "
        "Laissez vide si elles n'ont pas encore été vérifiées : le site l'indiquera.",
        examples=["2025-03-14"],
    )
    verifie_par: Verificateur | None = Field(
        None,
        title="Vérifié par",
        description="Qui a vérifié, à côté de verifie_le : un rôle de la liste, jamais le nom d'une personne "
        "(« Vérifié le 3 mars 2027 par la coordination de la communauté 360 »).",
        examples=["coordination-communaute-360"],
    )

    _not_future = field_validator("verifie_le")(_reject_future)

    @model_validator(mode="after")
    def _verified_with_who_and_when(self) -> Provenance:
        # A date without a role, or a role without a date, says half of what families need to trust it.
        if (self.verifie_le is None) != (self.verifie_par is None):
            missing, present = ("verifie_par", "verifie_le") if self.verifie_par is None else ("verifie_le", "verifie_par")
            raise PydanticCustomError(
                "verification_incomplete",
                "{present} sans {missing} : une vérification dit quand (verifie_le, AAAA-MM-JJ) et par qui "
                "(verifie_par, un rôle : {roles})",
                {"present": present, "missing": missing, "roles": ", ".join(VERIFICATEURS)},
            )
        return self


class Coordonnees(Modele):
    """A point on the map (WGS84), as the official open data gives it."""

    model_config = french("Coordonnées", "Position de l'accueil sur une carte (latitude et longitude, WGS84).")

    latitude: float = Field(title="Latitude", ge=-90, le=90, description="Latitude en degrés décimaux (WGS84).",
                            examples=[49.894])
    longitude: float = Field(title="Longitude", ge=-180, le=180,
                             description="Longitude en degrés décimaux (WGS84).", examples=[2.2957])


# ---------------------------------------------------------------------------
# Structures and the communauté


class Structure(Provenance):
    """A service or organisation that helps: a member of a communauté 360, or a wider resource."""

    model_config = french(
        "Structure",
        "Un service ou un organisme qui aide : membre d'une communauté 360 ou ressource.",
    )

    id: Slug = Field(
        title="Identifiant",
        description="Identifiant stable, unique dans tout l'annuaire : minuscules, chiffres et tirets. "
        "Il sert d'adresse à la fiche : ne le changez plus une fois publié.",
        examples=["pcpe-exemple-amiens"],
    )
    nom: Texte = Field(title="Nom", description="Nom du service, tel qu'il l'écrit.", max_length=200)
    sigle: Texte | None = Field(None, title="Sigle", description="Sigle ou nom court (« PCPE 80 »).", max_length=40)
    type: str = Field(
        title="Type",
        description="Type de structure : un code de data/types.yaml (« pcpe », « dac »…).",
    )
    specialite: Texte | None = Field(
        None,
        title="Spécialité",
        description="Spécialité, surtout pour une équipe mobile (« autisme », « psychiatrie »…).",
        max_length=120,
    )
    gestionnaire: Organisation | None = Field(
        None,
        title="Gestionnaire",
        description="Organisation qui gère le service.",
    )
    public: Public = Field(title="Public", default_factory=Public, description="À qui s'adresse le service.")
    notification_mdph: Notification = Field(
        "inconnu",
        title="Notification de la MDPH",
        description="Faut-il une notification de la MDPH pour en bénéficier : oui, non ou inconnu.",
    )
    acces: Acces = Field(
        "inconnu",
        title="Accès",
        description="Comment y accéder : direct (les familles appellent), professionnel (il faut passer par un "
        "professionnel), direct-ou-professionnel, ou inconnu.",
    )
    zone_eligibilite: Territoire | None = Field(
        None,
        title="Territoire couvert",
        description="Territoire couvert. Dans un fichier de département, laissez vide pour tout le département.",
    )
    contacts: list[PointDeContact] = Field(
        title="Contacts",
        default_factory=list,
        description="Moyens de contacter le service.",
    )
    adresse: Texte | None = Field(None, title="Adresse", description="Numéro et rue de l'accueil.", max_length=200)
    complement_adresse: Texte | None = Field(
        None,
        title="Complément d'adresse",
        description="Bâtiment, étage…",
        max_length=200,
    )
    code_postal: CodePostal | None = Field(
        None,
        title="Code postal",
        description="Code postal, entre guillemets : \"01000\".",
        examples=["80000"],
    )
    commune: Texte | None = Field(None, title="Commune", description="Commune de l'accueil.", max_length=100)
    code_insee: CodeInsee | None = Field(
        None,
        title="Code INSEE",
        description="Code INSEE de la commune, entre guillemets.",
        examples=["80021"],
    )
    horaires_accueil: Horaires | None = Field(
        None,
        title="Horaires de l'accueil",
        description="Heures d'ouverture de l'accueil, syntaxe OpenStreetMap : \"Mo-Fr 09:00-17:00; PH off\".",
        examples=["Mo-Fr 09:00-17:00; PH off"],
    )
    horaires_precisions: Texte | None = Field(
        None,
        title="Précisions sur les horaires",
        description="Ce que les horaires ne disent pas : « sur rendez-vous le mercredi », « fermé en août »…",
        max_length=500,
    )
    site_web: UrlHttps | None = Field(
        None,
        title="Site web",
        description="Site web du service (https://…).",
        examples=["https://www.example.org"],
    )
    coordonnees: Coordonnees | None = Field(
        None,
        title="Coordonnées",
        description="Position de l'accueil sur une carte (latitude et longitude). Les fiches importées la donnent.",
    )
    finess: Finess | None = Field(
        None,
        title="Numéro FINESS",
        description="Numéro FINESS de l'établissement (9 caractères), entre guillemets. Si la fiche de cet "
        "établissement est importée de FINESS (data/imports/finess/), elle complète cette structure : ce que vous "
        "écrivez ici l'emporte, champ par champ.",
        examples=["800000000"],
    )
    annuaire_service_public: IdentifiantAsp | None = Field(
        None,
        title="Fiche de l'Annuaire de l'administration",
        description="Identifiant de la fiche du service dans l'Annuaire de l'administration (service-public.gouv.fr), "
        "entre guillemets : la fin de l'adresse de sa page. Si cette fiche est importée "
        "(data/imports/annuaire-service-public/), elle complète cette structure : ce que vous écrivez ici "
        "l'emporte, champ par champ.",
        examples=["00000000-0000-4000-8000-000000000001"],
    )
    description: Markdown | None = Field(
        None,
        title="Description",
        description="Ce que fait le service, en phrases simples (Markdown : paragraphes, listes, liens).",
    )
    voir_aussi: list[Slug] = Field(
        title="Voir aussi",
        default_factory=list,
        description="Identifiants d'autres structures de l'annuaire utiles aux mêmes familles (par exemple le CRA "
        "de la région) : la fiche propose un lien vers chacune.",
        max_length=10,
    )
    besoins: list[CodeBesoin] = Field(
        title="Besoins",
        default_factory=list,
        description="Besoins des familles auxquels ce service répond en plus de ceux de son type (codes de "
        "data/besoins.yaml, par exemple [crise]). Les besoins de son type (data/types.yaml) comptent déjà : "
        "laissez vide dans la plupart des cas.",
        examples=[["crise"]],
    )

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str, info: ValidationInfo) -> str:
        # The vocabulary is data (data/types.yaml), passed in the validation context.
        context = context_of(info)
        codes = context.types if context is not None else None
        if codes is None or value in codes:
            return value
        named = types_named(value, context.type_names if context is not None else ())
        if len(named) == 1:
            raise PydanticCustomError(
                "type_en_francais",
                "type « {value} » : écrivez le code du type, ici `{code}` (les codes sont dans data/types.yaml et "
                "dans le guide)", {"value": visible(value), "code": named[0]},
            )
        if named:
            raise PydanticCustomError(
                "type_en_francais",
                "type « {value} » : plusieurs types correspondent, écrivez le code de l'un d'eux : {codes}",
                {"value": visible(value), "codes": ", ".join(f"`{code}`" for code in named)},
            )
        raise PydanticCustomError(
            "type_inconnu",
            "type « {value} » inconnu{hint} (les types possibles sont dans data/types.yaml et dans le guide)",
            {"value": visible(value), "hint": suggest(value, codes)},
        )

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


class Membre(Modele):
    """One member of a communauté 360: a structure of the directory and its role."""

    model_config = french("Membre", "Un membre de la communauté 360 : une structure de l'annuaire et son rôle.")

    id: Slug = Field(
        title="Identifiant",
        description="Identifiant de la structure : le champ id d'une structure de ce fichier, d'un fichier de "
        "ressources, ou d'une fiche importée (« finess-… », « asp-… »).",
        examples=["mdph-exemple"],
    )
    role: Role = Field(
        "membre",
        title="Rôle",
        description="Son rôle, s'il est publié : membre-coeur (elle coordonne), partenaire (elle participe), ou "
        "membre (par défaut, quand la source ne précise pas).",
    )


class Communaute360(Provenance):
    """The communauté 360 of a département."""

    model_config = french("Communauté 360", "La communauté 360 du département : qui la porte, comment la joindre.")

    nom: Texte = Field(
        title="Nom",
        description="Nom utilisé localement (« Communauté 360 de l'Ain »).",
        max_length=200,
    )
    porteur: Organisation | None = Field(
        None,
        title="Porteur",
        description="Organisation qui porte la communauté (son « porteur »).",
    )
    pilotes: list[Texte] = Field(
        title="Pilotes",
        default_factory=list,
        description="Institutions qui pilotent la communauté : ARS, conseil départemental, MDPH…",
    )
    zone_eligibilite: Territoire | None = Field(
        None,
        title="Territoire couvert",
        description="Territoire couvert, si ce n'est pas tout le département.",
    )
    contacts: list[PointDeContact] = Field(
        title="Contacts",
        default_factory=list,
        description="Contacts locaux publiés. Le numéro national (data/national.yaml) est ajouté partout automatiquement : ne l'écrivez pas ici.",
    )
    horaires: Horaires | None = Field(
        None,
        title="Horaires",
        description="Heures où l'équipe locale répond, syntaxe OpenStreetMap.",
        examples=["Mo-Fr 09:00-12:00,14:00-17:00; PH off"],
    )
    presentation: Markdown | None = Field(
        None,
        title="Présentation",
        description="Présentation de la communauté en phrases simples (Markdown).",
    )
    membres: list[Membre] = Field(
        title="Membres",
        default_factory=list,
        description="Les structures membres de la communauté, chacune par son identifiant, avec son rôle si une "
        "source le publie. La page du département les présente à part des autres services.",
    )


class Masque(Modele):
    """An imported record the communauté says is wrong or closed: never published, whatever the next import says."""

    model_config = french("Fiche masquée", "Une fiche importée à ne pas publier, avec la raison.")

    id: Slug = Field(
        title="Identifiant",
        description="Identifiant de la fiche importée, tel qu'il est dans data/imports/ (« finess-… » ou « asp-… »).",
        examples=["finess-800000000"],
    )
    raison: Texte = Field(
        title="Raison",
        description="Pourquoi la masquer, en quelques mots, avec sa source : « fermé depuis mars 2025 (appel du "
        "12/03/2025) ».",
        max_length=300,
    )


class FichierDepartement(Modele):
    """``data/departements/<code>-<nom>.yaml``: the communauté 360 of one département and its members."""

    model_config = french(
        "Fichier d'un département",
        "La communauté 360 d'un département et les structures du département (data/departements/<code>-<nom>.yaml).",
    )

    code: CodeDepartement = Field(
        title="Code",
        description="Code du département, entre guillemets : \"01\", \"2A\", \"974\".",
        examples=["80"],
    )
    nom: Texte = Field(title="Nom", description="Nom du département (« Ain »).")
    communaute: Communaute360 | None = Field(
        None,
        title="Communauté 360",
        description="La communauté 360 du département. Laissez vide tant qu'aucune source publique n'en parle.",
    )
    structures: list[Structure] = Field(
        title="Structures",
        default_factory=list,
        description="Les structures du département.",
    )
    masquer: list[Masque] = Field(
        title="Fiches importées à masquer",
        default_factory=list,
        description="Fiches importées (data/imports/) fausses ou fermées, à ne pas publier : elles restent masquées "
        "après chaque import. Une ligne par fiche, avec la raison.",
    )


class FichierRessources(Modele):
    """``data/ressources/<nom>.yaml``: resources that cover several départements, written once."""

    model_config = french(
        "Fichier de ressources",
        "Des ressources qui couvrent plusieurs départements, écrites une seule fois (data/ressources/<nom>.yaml).",
    )

    ressources: list[Structure] = Field(
        title="Ressources",
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
                    {"id": visible(structure.id)},
                )
        return value


class InformationSourcee(Provenance):
    """A short statement shown to families as it is written, with the public pages that support it."""

    model_config = french("Information sourcée", "Un court texte affiché tel quel, avec les pages publiques qui le disent.")

    texte: Markdown = Field(
        title="Texte",
        description="Ce que l'on sait, en phrases simples (Markdown) ; dites aussi ce que l'on ne sait pas.",
    )

    @property
    def une_ligne(self) -> str:
        """The text on one line, for the open data files and contact cards (their fields are plain text)."""
        return " ".join(self.texte.split())


class AutreTerritoire(Provenance):
    """A collectivité outside the 101 départements, and what is true there for the national number."""

    model_config = french(
        "Autre territoire",
        "Une collectivité hors des 101 départements (Saint-Pierre-et-Miquelon, Nouvelle-Calédonie…) et ce qui y est "
        "vrai pour le numéro national.",
    )

    codes: list[Annotated[str, Field(pattern=r"^9[78][0-9]$", json_schema_extra={
        "errorMessage": "code INSEE de collectivité : trois chiffres entre guillemets, par exemple \"988\""})]] = Field(
        title="Codes",
        min_length=1,
        description="Codes INSEE des collectivités concernées (trois chiffres, entre guillemets : \"988\").",
        examples=[["986", "987", "988"]],
    )
    nom: Texte = Field(
        title="Nom",
        description="Le ou les territoires, comme on les nomme dans une phrase (« la Nouvelle-Calédonie »).",
        max_length=200,
    )
    texte: Markdown = Field(
        title="Texte",
        description="Ce qui est vrai pour une famille qui y habite, d'après les sources ; dites aussi ce que l'on "
        "ne sait pas.",
    )


class NumeroNational(Provenance):
    """The national number: written once, shown on every page."""

    model_config = french("Numéro national", "Le numéro national, affiché sur toutes les pages.")

    libelle: Texte = Field(title="Libellé", description="Nom du numéro.", examples=["Numéro national des communautés 360"])
    telephone: Telephone = Field(
        title="Téléphone",
        description="Le numéro national.",
        examples=["03 53 01 23 45", "02 61 91 12 34"],
    )
    presentation: Markdown = Field(
        title="Présentation",
        description="Ce que l'on obtient en appelant, en phrases simples.",
    )
    horaires: Horaires | None = Field(
        None,
        title="Horaires",
        description="Heures d'ouverture, seulement si une source publique et à jour les donne, syntaxe OpenStreetMap.",
        examples=["Mo-Fr 09:00-12:00,14:00-17:00; PH off"],
    )
    horaires_precisions: InformationSourcee | None = Field(
        None,
        title="Ce que l'on sait des horaires",
        description="Ce que disent les sources sur les horaires quand elles ne donnent pas d'horaires sûrs, ou "
        "qu'aucune ne les donne : le site l'écrit tel quel, avec ses sources.",
    )
    accessibilite: InformationSourcee | None = Field(
        None,
        title="Personnes sourdes ou malentendantes",
        description="Comment une personne sourde, malentendante ou aphasique peut joindre le numéro, d'après des "
        "sources publiques ; dites-le aussi quand aucune source ne le précise.",
    )


class FichierNational(Modele):
    """``data/national.yaml``: the national number and national resources."""

    model_config = french("Fichier national", "Le numéro national et les ressources nationales (data/national.yaml).")

    numero_national: NumeroNational = Field(
        title="Numéro national",
        description="Le numéro national : son nom, le numéro, ce que l'on obtient en appelant.",
    )
    ressources_nationales: list[Structure] = Field(
        title="Ressources nationales",
        description="Ressources qui aident partout en France (lignes d'écoute…).",
        default_factory=list,
    )
    autres_territoires: list[AutreTerritoire] = Field(
        title="Autres territoires",
        default_factory=list,
        description="Les collectivités hors des 101 départements, et ce qui y est vrai pour le numéro national.",
    )


class Besoin(Modele):
    """One need of the families (data/besoins.yaml): a page per département gathers the services that answer it."""

    model_config = french("Besoin", "Un besoin des familles : une page par département réunit les services qui y répondent.")

    code: Slug = Field(
        title="Code",
        description="Code stable, utilisé dans les adresses des pages et le champ besoins des types.",
        examples=["ecole"],
    )
    libelle: Texte = Field(
        title="Libellé",
        description="Le besoin en quelques mots, comme une famille le dirait (« École et études »).",
        max_length=60,
        examples=["École et études"],
    )
    explication: Texte = Field(
        title="Explication",
        description="Une phrase simple : ce que la page réunit, pour qui.",
        max_length=300,
    )
    a_savoir: Markdown | None = Field(
        None,
        title="À savoir",
        description="Ce qu'il faut savoir avant d'appeler (Markdown), affiché en haut de chaque page du besoin : "
        "par exemple les numéros d'urgence.",
    )


class FichierBesoins(Modele):
    """``data/besoins.yaml``: the needs of the families, in the order of the pages."""

    model_config = french(
        "Besoins des familles",
        "La liste des besoins des familles, d'où elle vient, et l'ordre de leurs pages (data/besoins.yaml).",
    )

    presentation: Markdown = Field(
        title="Présentation",
        description="Pourquoi cette liste, en phrases simples (Markdown) : elle est affichée sur la page des besoins.",
    )
    sources: list[Source] = Field(
        min_length=1,
        title="Sources",
        description="Pages publiques d'où vient la liste (ce que font les communautés 360, d'après leurs pilotes).",
    )
    besoins: list[Besoin] = Field(
        min_length=1,
        title="Besoins",
        description="Les besoins, dans l'ordre où les pages les proposent.",
    )


class GroupeDeMots(Modele):
    """Words a family types, and what they mean in the directory."""

    model_config = french(
        "Groupe de mots",
        "Des mots qu'une famille tape dans la recherche, et ce qu'ils veulent dire dans l'annuaire (besoins, types, "
        "situations).",
    )

    mots: list[Texte] = Field(
        title="Mots",
        min_length=1,
        description="Les mots ou expressions, tels qu'une famille les écrit (« école », « AESH », « plus de "
        "solution »). Les accents et majuscules ne comptent pas.",
        examples=[["école", "AESH"]],
    )
    besoins: list[CodeBesoin] = Field(
        title="Besoins",
        default_factory=list,
        description="Les besoins dont ces mots parlent (codes de data/besoins.yaml) : la recherche propose leur page.",
    )
    types: list[CodeType] = Field(
        title="Types",
        default_factory=list,
        description="Les types de structures que ces mots désignent (codes de data/types.yaml).",
    )
    situations: list[Situation] = Field(
        title="Situations",
        default_factory=list,
        description="Les situations de handicap que ces mots désignent.",
    )

    @model_validator(mode="after")
    def _leads_somewhere(self) -> GroupeDeMots:
        if not (self.besoins or self.types or self.situations):
            raise PydanticCustomError(
                "mots_sans_cible",
                "ces mots ne mènent nulle part : ajoutez besoins, types ou situations",
            )
        return self


class FichierMots(Modele):
    """``data/mots.yaml``: the families' words, so that the search understands them."""

    model_config = french(
        "Mots des familles",
        "Les mots des familles et ce qu'ils désignent, pour que la recherche les comprenne (data/mots.yaml).",
    )

    groupes: list[GroupeDeMots] = Field(
        min_length=1,
        title="Groupes",
        description="Les groupes de mots, chacun avec ce qu'il désigne.",
    )


class TypeStructure(Modele):
    """One entry of the closed vocabulary of structure types (``data/types.yaml``)."""

    model_config = french("Type de structure", "Un type de structure de la liste fermée.")

    code: Slug = Field(
        title="Code",
        description="Code stable, utilisé dans le champ type des structures.",
        examples=["pcpe"],
    )
    libelle: Texte = Field(
        title="Libellé",
        description="Nom en toutes lettres (« Pôle de compétences et de prestations externalisées »).",
        examples=["Pôle de compétences et de prestations externalisées"],
    )
    libelle_pluriel: Texte = Field(
        title="Libellé au pluriel",
        description="Titre d'un groupe de structures de ce type.",
    )
    sigle: Texte | None = Field(None, title="Sigle", description="Sigle (« PCPE »).")
    explication: Texte = Field(
        title="Explication",
        description="Une phrase simple qui dit ce que ce type de structure fait pour une famille.",
    )
    facile_a_lire: Texte | None = Field(
        None,
        title="Facile à lire",
        description="Le même sens en facile à lire et à comprendre : 2 à 4 phrases très courtes, des mots de tous "
        "les jours, pas de sigle sans son explication (règles : page « Écrire en facile à lire »). Sans ce texte, "
        "build.py check affiche un avertissement.",
        max_length=600,
    )
    code_ror: str | None = Field(
        None,
        title="Code ROR",
        description="Code de la nomenclature ROR (JDV_J238), s'il existe.",
    )
    notification_mdph: Notification = Field(
        "inconnu",
        title="Notification de la MDPH",
        description="Valeur habituelle pour ce type.",
    )
    besoins: list[CodeBesoin] | None = Field(
        None,
        title="Besoins",
        description="Besoins des familles auxquels ce type de structure répond (codes de data/besoins.yaml) : "
        "ses structures sont sur la page de chacun de ces besoins. Écrivez [] si chaque structure de ce type dit "
        "les siens (son champ besoins) ; sans ce champ, « check » avertit.",
        examples=[["ecole", "domicile"]],
    )


class FichierTypes(Modele):
    """``data/types.yaml``."""

    model_config = french("Types de structures", "La liste fermée des types de structures (data/types.yaml).")

    types: list[TypeStructure] = Field(
        title="Types",
        description="Les types de structures, dans l'ordre des groupes des pages de département.",
        min_length=1,
    )


class Region(Modele):
    """A région (INSEE code)."""

    model_config = french("Région", "Une région (code INSEE).")

    code: str = Field(
        title="Code",
        pattern=r"^\d{2}$",
        description="Code INSEE de la région, entre guillemets.",
        json_schema_extra={"errorMessage": "code INSEE de région : deux chiffres entre guillemets, par exemple \"32\""},
        examples=["32"],
    )
    nom: Texte = Field(title="Nom", description="Nom officiel de la région.")
    slug: Slug = Field(
        title="Slug",
        description="Nom de la région dans les adresses du site (minuscules, sans accent, avec des tirets).",
    )


class Departement(Modele):
    """A département (State circonscription, INSEE COG)."""

    model_config = french("Département", "Un département (code INSEE).")

    code: CodeDepartement = Field(
        title="Code",
        description="Code officiel du département, entre guillemets : \"01\", \"2A\", \"974\".",
        examples=["80"],
    )
    nom: Texte = Field(title="Nom", description="Nom officiel du département.")
    slug: Slug = Field(
        title="Slug",
        description="Nom du département dans les adresses du site et les noms de fichiers.",
    )
    region: str = Field(title="Région", pattern=r"^\d{2}$", description="Code INSEE de la région.",
                        json_schema_extra={"errorMessage": "code INSEE de région : deux chiffres entre guillemets"})
    tncc: int = Field(
        title="Type de nom (TNCC)",
        ge=0,
        le=8,
        description="« Type de nom en clair » du Code officiel géographique : il donne l'article et la charnière "
        "du nom (0 : de Paris ; 1 : d'Eure-et-Loir ; 2 : le Nord, du Nord ; 3 : la Somme, de la Somme ; "
        "4 : les Landes, des Landes ; 5 : l'Ain, de l'Ain).",
        examples=[3],
    )
    collectivite: Texte | None = Field(
        None,
        title="Collectivité",
        description="Collectivité qui exerce les compétences du département, si elle diffère.",
    )

    @property
    def avec_article(self) -> str:
        """The name with its article, as in « qui couvre la Seine-Saint-Denis »."""
        return TNCC[self.tncc][0] + self.nom

    @property
    def de_nom(self) -> str:
        """The name after its « charnière », as in « la communauté 360 de la Seine-Saint-Denis »."""
        return TNCC[self.tncc][1] + self.nom


class FichierTerritoires(Modele):
    """``data/territoires.yaml``: régions and départements (INSEE Code officiel géographique)."""

    model_config = french(
        "Régions et départements",
        "Les régions et départements du Code officiel géographique (data/territoires.yaml).",
    )

    source: Source = Field(title="Source", description="Page de l'INSEE d'où vient la liste.")
    source_tncc: Source | None = Field(
        None,
        title="Source des types de nom",
        description="Page de l'INSEE qui explique le « type de nom en clair » (champ tncc des départements).",
    )
    regions: list[Region] = Field(title="Régions", description="Les régions.")
    departements: list[Departement] = Field(title="Départements", description="Les 101 départements.")

    @model_validator(mode="after")
    def _all_departements(self) -> FichierTerritoires:
        codes = [d.code for d in self.departements]
        if sorted(codes) != sorted(DEPARTEMENT_CODES):
            missing = sorted(set(DEPARTEMENT_CODES) - set(codes))
            twice = sorted(code for code, n in Counter(codes).items() if n > 1)
            raise PydanticCustomError(
                "departements",
                "liste des départements à corriger : {problems} ; chacun des 101 départements y figure une fois",
                {"problems": " ; ".join(filter(None, [
                    f"il manque {', '.join(missing)}" if missing else "",
                    f"en double : {', '.join(twice)}" if twice else "",
                ]))},
            )
        return self


class Accessibilite(Modele):
    """The accessibility status shown in the footer and the accessibility statement."""

    model_config = french("Accessibilité", "L'état d'accessibilité du site, affiché dans le pied de page.")

    etat: EtatAccessibilite = Field(
        title="État",
        description="État de conformité au RGAA : totalement conforme, partiellement conforme ou non conforme.",
    )
    taux: float | None = Field(
        None,
        title="Taux",
        ge=0,
        le=100,
        description="Pourcentage de critères RGAA respectés, si un audit a été fait.",
    )
    date_audit: dt.date | None = Field(
        None,
        title="Date de l'audit",
        description="Date de l'audit d'accessibilité, au format AAAA-MM-JJ.",
    )
    contact: Courriel | None = Field(
        None,
        title="Contact",
        description="Adresse pour signaler un défaut d'accessibilité.",
    )


class FichierSite(Modele):
    """``data/site.yaml``: site-wide settings (one place for the repository URL, the licence…)."""

    model_config = french("Réglages du site", "Adresse du site, dépôt, licence, accessibilité (data/site.yaml).")

    titre: Texte = Field(title="Titre", description="Nom du site, affiché en haut de chaque page.")
    url: UrlHttps = Field(
        title="Adresse (URL)",
        description="Adresse publique du site, sans barre finale.",
        examples=["https://www.example.org/page"],
    )

    @field_validator("url", "depot")
    @classmethod
    def _site_root(cls, value: str) -> str:
        # Every address of the site (and every « modifier ce fichier » link of the repository) is this one
        # followed by « /… »: a final slash would double it in the sitemap, robots.txt and the open data;
        # a query or a fragment would break them all.
        if value.endswith("/") or "?" in value or "#" in value:
            fixed = value.split("?")[0].split("#")[0].rstrip("/")
            raise PydanticCustomError(
                "url_site",
                "adresse « {value} » : écrivez-la sans barre « / » finale ni « ? » ni « # », soit « {fixed} » ; "
                "le site y ajoute lui-même les « /… » de ses pages",
                {"value": visible(value), "fixed": visible(fixed)},
            )
        return value
    depot: UrlHttps = Field(title="Dépôt", description="Dépôt GitHub des données (pour « Signaler une erreur »).")
    editeur: Texte = Field(title="Éditeur", description="Qui publie le site.")
    licence_donnees: Texte = Field(
        title="Licence des données",
        description="Licence des données publiées (« Licence Ouverte 2.0 (Etalab) »).",
    )
    licence_donnees_url: UrlHttps = Field(
        title="Adresse de la licence",
        description="Adresse du texte de la licence (https://…).",
    )
    accessibilite: Accessibilite = Field(
        title="Accessibilité",
        description="État d'accessibilité du site (RGAA), affiché dans le pied de page.",
    )
    signalement_courriel: Courriel | None = Field(
        None,
        title="Courriel de signalement",
        description="Adresse pour signaler une erreur sans compte GitHub.",
    )
    donnees_de_test: bool = Field(
        False,
        title="Données de test",
        description="true seulement pour les données fictives des tests : les numéros de fiction de l'ARCEP et les "
        "adresses example.org y sont alors permis. Les vraies données ne les acceptent jamais.",
    )


# ---------------------------------------------------------------------------
# Easy-read texts (FALC): data/facile-a-lire.yaml


class Relecture(Modele):
    """A check of an easy-read text by people with an intellectual disability (the European rules require it)."""

    model_config = french(
        "Relecture",
        "Quand et par quel groupe un texte facile à lire a été relu par des personnes qui ont un handicap "
        "intellectuel. Tant qu'il n'y en a pas, le site dit que le texte n'est pas encore relu.",
    )

    date: dt.date = Field(title="Date", description="Jour de la relecture, au format AAAA-MM-JJ.", examples=["2025-03-14"])
    par: Texte = Field(
        title="Relu par",
        description="Le groupe qui a relu : par exemple le groupe de relecture d'une association. Jamais le nom "
        "d'une personne.",
        max_length=200,
    )

    _not_future = field_validator("date")(_reject_future)


class LienFacileALire(Modele):
    """A link at the end of a part of an easy-read page, to another page of this site."""

    model_config = french("Lien", "Un lien vers une autre page de ce site, à la fin d'une partie.")

    texte: Texte = Field(
        title="Texte du lien",
        description="Ce que le lien dit, en mots simples : il dit où il mène (« Trouver votre département »).",
        max_length=120,
    )
    adresse: CheminDuSite = Field(
        title="Adresse",
        description="Adresse d'une page de ce site, qui commence et finit par « / ».",
        examples=["/regions/"],
    )


class PartieFacileALire(Modele):
    """One part of an easy-read page: a heading and its lines, one short sentence per line."""

    model_config = french("Partie", "Une partie d'une page facile à lire : un titre, puis une phrase courte par ligne.")

    titre: Texte = Field(
        title="Titre",
        description="Le titre de la partie, souvent une question : « C'est quoi ? », « Comment faire ? ».",
        max_length=120,
    )
    phrases: list[Texte] = Field(
        title="Phrases",
        min_length=1,
        description="Les lignes de la partie, dans l'ordre : une seule phrase courte par ligne, une seule idée par "
        "phrase. Écrivez [[numero-national]] pour le numéro national. **mot** met un mot important en gras.",
    )
    liens: list[LienFacileALire] = Field(
        title="Liens",
        default_factory=list,
        description="Des liens vers d'autres pages de ce site, affichés après les phrases.",
        max_length=5,
    )


class AccueilFacileALire(Modele):
    """The first easy-read page (/facile-a-lire/): what these pages are; the list of pages follows."""

    model_config = french(
        "Accueil facile à lire",
        "La page /facile-a-lire/ : ce que sont ces pages. La liste des pages s'affiche après ses parties.",
    )

    titre: Texte = Field(title="Titre", description="Le titre de la page (son h1).", max_length=100)
    description: Texte = Field(
        title="Description", description="Une phrase qui résume la page (pour les moteurs de recherche).", max_length=200
    )
    parties: list[PartieFacileALire] = Field(title="Parties", min_length=1, description="Les parties de la page.")


class PageFacileALire(AccueilFacileALire):
    """One easy-read page: /facile-a-lire/<adresse>/."""

    model_config = french(
        "Page facile à lire",
        "Une page écrite en facile à lire et à comprendre, à l'adresse /facile-a-lire/<adresse>/.",
    )

    adresse: Slug = Field(
        title="Adresse",
        description="La fin de l'adresse de la page : /facile-a-lire/<adresse>/. Minuscules, chiffres et tirets.",
        examples=["mdph"],
    )
    version_complete: CheminDuSite = Field(
        title="Version complète",
        description="Adresse de la page de ce site qui dit la même chose en version complète (« / » pour "
        "l'accueil) : la page facile à lire y renvoie.",
        examples=["/glossaire/"],
    )
    liste_des_types: bool = Field(
        False,
        title="Liste des types",
        description="true pour afficher, après les parties, le texte facile à lire de chaque type de structure "
        "(champ facile_a_lire de data/types.yaml).",
    )
    sources: list[Source] = Field(
        title="Sources",
        min_length=1,
        description="Pages publiques d'où viennent les faits de ce texte (au moins une).",
    )
    relecture: Relecture | None = Field(
        None,
        title="Relecture",
        description="Seulement quand des personnes qui ont un handicap intellectuel ont relu ce texte. Si vous "
        "changez le texte ensuite, retirez ce bloc jusqu'à la prochaine relecture.",
    )


class MotDifficile(Modele):
    """A word or expression that easy-read texts avoid, with simpler words to write instead."""

    model_config = french(
        "Mot difficile",
        "Un mot ou une expression à éviter dans les textes faciles à lire, avec des mots plus simples.",
    )

    mot: Texte = Field(title="Mot", description="Le mot ou l'expression, en minuscules.", max_length=60,
                       examples=["bénéficier"])
    formes: list[Texte] = Field(
        title="Autres formes",
        default_factory=list,
        description="Les autres formes du mot à repérer aussi (pluriel, verbe conjugué) : « bénéficie », « bénéficiez ».",
        max_length=20,
    )
    remplacer_par: Texte = Field(
        title="Remplacer par",
        description="Des mots plus simples à écrire à la place, ou comment expliquer le mot.",
        max_length=200,
        examples=["avoir, recevoir"],
    )
    source: UrlSource | None = Field(
        None,
        title="Source",
        description="Une page publique qui classe ce mot parmi les mots difficiles, s'il y en a une.",
        examples=["https://www.example.org/page"],
    )


class FichierFacileALire(Modele):
    """``data/facile-a-lire.yaml``: the easy-read pages, and the hard words their checks look for."""

    model_config = french(
        "Textes faciles à lire",
        "Les pages écrites en facile à lire et à comprendre, et la liste des mots difficiles que build.py check "
        "signale (data/facile-a-lire.yaml).",
    )

    accueil: AccueilFacileALire = Field(title="Accueil", description="La page /facile-a-lire/.")
    pas_encore_relu: list[Texte] = Field(
        title="Pas encore relu",
        min_length=1,
        description="Les phrases affichées en haut d'une page facile à lire tant qu'elle n'a pas de relecture.",
    )
    pages: list[PageFacileALire] = Field(title="Pages", min_length=1, description="Les pages faciles à lire, dans l'ordre de la liste.")
    mots_difficiles: list[MotDifficile] = Field(
        title="Mots difficiles",
        default_factory=list,
        description="Les mots que build.py check signale dans les textes faciles à lire (avertissement).",
    )


FILE_MODELS: dict[str, type[Modele]] = {
    "besoins": FichierBesoins,
    "mots": FichierMots,
    "departement": FichierDepartement,
    "ressources": FichierRessources,
    "national": FichierNational,
    "types": FichierTypes,
    "territoires": FichierTerritoires,
    "site": FichierSite,
    "facile_a_lire": FichierFacileALire,
}
"""Which model validates which kind of data file."""
