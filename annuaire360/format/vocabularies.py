"""Closed vocabularies of the format: each code with its plain French label, written once.

A vocabulary is a ``dict`` of labels; its value type (``Situation``, ``Role``…) accepts exactly its
codes and carries the labels into the JSON Schema, where editors show them beside each completion.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, get_args

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.fields import FieldInfo
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """The codes of a closed list, validated as a ``Literal`` (error type ``literal_error``) with their labels."""

    labels: dict[str, str]

    def __get_pydantic_core_schema__(self, _source: Any, _handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.literal_schema(list(self.labels))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        labels = list(self.labels.values())
        # enumDescriptions / markdownEnumDescriptions: shown by VS Code beside each completion
        return {**handler(schema), "enumDescriptions": labels, "markdownEnumDescriptions": labels,
                "errorMessage": "valeur non reconnue : " + ", ".join(self.labels)}


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
Situation = Annotated[str, Vocabulary(SITUATIONS)]

ROLES: dict[str, str] = {
    "membre": "Membre de la communauté 360",
    "membre-coeur": "Membre cœur de la communauté 360 (elle coordonne son action)",
    "partenaire": "Partenaire de la communauté 360 (elle participe à son action)",
}
"""The role of a member, in the communauté's ``membres`` list: « membre » when the sources say no more."""
Role = Annotated[str, Vocabulary(ROLES)]

NOTIFICATIONS: dict[str, str] = {
    "oui": "Il faut une notification (décision) de la MDPH.",
    "non": "Pas besoin de notification de la MDPH.",
    "inconnu": "Nous ne savons pas s'il faut une notification de la MDPH : demandez-le en appelant.",
    "sans-objet": "La question ne se pose pas : c'est la MDPH qui donne les notifications.",
}
Notification = Annotated[str, Vocabulary(NOTIFICATIONS)]

TNCC: dict[int, tuple[str, str]] = {
    0: ("", "de "),
    1: ("", "d'"),
    2: ("le ", "du "),
    3: ("la ", "de la "),
    4: ("les ", "des "),
    5: ("l'", "de l'"),
    6: ("aux ", "des "),
    7: ("las ", "de las "),
    8: ("los ", "de los "),
}
"""Article and « charnière » of a name, by the COG's « type de nom en clair » (INSEE,
https://www.insee.fr/fr/information/2114773): la Somme, de la Somme."""


ACCES: dict[str, str] = {
    "direct": "Les personnes et les familles peuvent contacter directement.",
    "professionnel": "Il faut passer par un professionnel (médecin, MDPH, service social…).",
    "direct-ou-professionnel": "Les familles peuvent contacter directement, les professionnels aussi.",
    "inconnu": "Nous ne savons pas comment on y accède : appelez le numéro national, il peut vous orienter.",
}
Acces = Annotated[str, Vocabulary(ACCES)]

POUR: dict[str, str] = {
    "tous": "Pour tout le monde",
    "familles": "Pour les personnes et les familles",
    "professionnels": "Pour les professionnels",
}
Pour = Annotated[str, Vocabulary(POUR)]

ETATS_ACCESSIBILITE: dict[str, str] = {
    "totalement conforme": "Totalement conforme au RGAA",
    "partiellement conforme": "Partiellement conforme au RGAA",
    "non conforme": "Non conforme au RGAA",
}
EtatAccessibilite = Annotated[str, Vocabulary(ETATS_ACCESSIBILITE)]


VERIFICATEURS: dict[str, str] = {
    "coordination-communaute-360": "la coordination de la communauté 360",
    "service": "le service lui-même",
    "mdph": "la MDPH",
    "conseil-departemental": "le conseil départemental",
    "ars": "l'agence régionale de santé",
    "association-usagers": "une association de personnes concernées",
    "equipe-du-site": "l'équipe du site",
    "contributeur": "un contributeur ou une contributrice de l'annuaire",
}
"""Who verified, as a role (never a person's name): each label completes « Vérifié le 3 mars 2027 par … »."""
Verificateur = Annotated[str, Vocabulary(VERIFICATEURS)]


def vocabulary_codes(field: FieldInfo | Any) -> list[str]:
    """The codes a closed-list field accepts (through Optional and list), or [] for an open field."""
    if isinstance(field, FieldInfo):
        found = [m for m in field.metadata if isinstance(m, Vocabulary)]
        return list(found[0].labels) if found else vocabulary_codes(field.annotation)
    found = [m for m in getattr(field, "__metadata__", ()) if isinstance(m, Vocabulary)]
    if found:
        return list(found[0].labels)
    for arg in get_args(field):
        codes = vocabulary_codes(arg)
        if codes:
            return codes
    return []
