"""The glossary of acronyms used outside data/types.yaml: for <abbr>, the glossary page and the easy-read checks.

The sigles of the types of structures live in data/types.yaml (data); these are the other acronyms the
site's pages and easy-read texts may use. A page marks the first use of each with <abbr title>; an
easy-read text must explain it in words before using it (``source/falc.py``).
"""

from __future__ import annotations

ACRONYMS: dict[str, tuple[str, str]] = {  # sigle: (expansion for <abbr title>, plain explanation for the glossary)
    "AAH": ("Allocation aux adultes handicapés", "Un revenu minimum pour les adultes handicapés ; la demande se fait à la MDPH (ou à la MDA)."),
    "AEEH": ("Allocation d'éducation de l'enfant handicapé", "Une aide pour les parents d'un enfant handicapé de moins de 20 ans ; la demande se fait à la MDPH."),
    "AESH": ("Accompagnant d'élèves en situation de handicap", "La personne qui aide un élève handicapé en classe ; c'est la MDPH qui décide de cette aide."),
    "ARS": ("Agence régionale de santé", "L'administration de l'État qui organise et finance la santé et les services pour les personnes handicapées dans la région."),
    "AVC": ("Accident vasculaire cérébral", "Un vaisseau du cerveau se bouche ou se rompt ; cela peut laisser un handicap."),
    "CIAS": ("Centre intercommunal d'action sociale", "Le service social commun à plusieurs communes ; il fait le même travail qu'un CCAS."),
    "CMI": ("Carte mobilité inclusion", "La carte qui donne une priorité dans les files d'attente, des places de stationnement ou la mention « invalidité » ; la demande se fait à la MDPH."),
    "FALC": ("Facile à lire et à comprendre", "Une façon d'écrire avec des mots simples et des phrases courtes, vérifiée par des personnes qui ont un handicap intellectuel."),
    "LSF": ("Langue des signes française", "La langue des personnes sourdes en France, faite de gestes et d'expressions du visage."),
    "PCH": ("Prestation de compensation du handicap", "Une aide du département pour payer une aide humaine, du matériel ou l'aménagement du logement ou de la voiture ; la demande se fait à la MDPH."),
    "RGAA": ("Référentiel général d'amélioration de l'accessibilité", "Les règles françaises qui disent comment rendre un site internet utilisable par tout le monde, y compris avec un handicap."),
    "RQTH": ("Reconnaissance de la qualité de travailleur handicapé", "Une décision de la MDPH qui ouvre des aides pour trouver ou garder un emploi."),
    "TND": ("Troubles du neurodéveloppement", "Des troubles qui touchent le développement de l'enfant : autisme, troubles « dys », trouble de l'attention, handicap intellectuel…"),
}
