"""What a data file may say: the single source of truth of the format.

``models`` holds the pydantic models of each kind of data file, with the French title, description and
examples of every field on the field itself; ``values`` the value types (each validates one kind of
value, says in French how to fix it, and carries its own JSON Schema); ``vocabularies`` the closed lists
with their labels. The JSON Schema (``tools/schema.py``), the contributor guide's field reference
(``tools/guide.py``) and the error messages (``source/messages.py``) are all read from here.
"""

from __future__ import annotations

from typing import Any, get_args

from pydantic import BaseModel

from .imports import FichierImport, JeuDeDonnees, StructureImportee
from .models import (
    FILE_MODELS as _HAND_WRITTEN,
)
from .models import (
    Accessibilite,
    AccueilFacileALire,
    AutreTerritoire,
    Besoin,
    Communaute360,
    Context,
    Coordonnees,
    Departement,
    FichierBesoins,
    FichierDepartement,
    FichierFacileALire,
    FichierMots,
    FichierNational,
    FichierRessources,
    FichierSite,
    FichierTerritoires,
    FichierTypes,
    GroupeDeMots,
    InformationSourcee,
    LienFacileALire,
    Masque,
    Membre,
    Modele,
    MotDifficile,
    NumeroNational,
    Organisation,
    PageFacileALire,
    PartieFacileALire,
    PointDeContact,
    Provenance,
    Public,
    Region,
    Relecture,
    Source,
    Structure,
    Territoire,
    TypeStructure,
    type_names,
    types_named,
)
from .vocabularies import (
    ACCES,
    NOTIFICATIONS,
    POUR,
    ROLES,
    SITUATIONS,
    TNCC,
    VERIFICATEURS,
    Vocabulary,
    vocabulary_codes,
)

FILE_MODELS: dict[str, type[Modele]] = {**_HAND_WRITTEN, "import": FichierImport}
"""Which model validates which kind of data file: the hand-written ones (``models``) and the generated imports."""


def nested_models(annotation: Any) -> list[type[BaseModel]]:
    """The models inside a field's annotation (through Optional, list, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in nested_models(arg)]


def reachable_models(root: type[BaseModel]) -> list[type[BaseModel]]:
    """Every model used by a file model, root first, each once, in reading order."""
    seen: list[type[BaseModel]] = []
    todo: list[type[BaseModel]] = [root]
    while todo:
        model = todo.pop(0)
        if model not in seen:
            seen.append(model)
            for info in model.model_fields.values():
                todo.extend(nested_models(info.annotation))
    return seen


__all__ = [
    "ACCES",
    "FILE_MODELS",
    "NOTIFICATIONS",
    "POUR",
    "ROLES",
    "SITUATIONS",
    "TNCC",
    "VERIFICATEURS",
    "Accessibilite",
    "AccueilFacileALire",
    "AutreTerritoire",
    "Besoin",
    "Communaute360",
    "Context",
    "Coordonnees",
    "Departement",
    "FichierBesoins",
    "FichierDepartement",
    "FichierFacileALire",
    "FichierImport",
    "FichierMots",
    "FichierNational",
    "FichierRessources",
    "FichierSite",
    "FichierTerritoires",
    "FichierTypes",
    "GroupeDeMots",
    "InformationSourcee",
    "JeuDeDonnees",
    "LienFacileALire",
    "Masque",
    "Membre",
    "Modele",
    "MotDifficile",
    "NumeroNational",
    "Organisation",
    "PageFacileALire",
    "PartieFacileALire",
    "PointDeContact",
    "Provenance",
    "Public",
    "Region",
    "Relecture",
    "Source",
    "Structure",
    "StructureImportee",
    "Territoire",
    "TypeStructure",
    "Vocabulary",
    "nested_models",
    "reachable_models",
    "type_names",
    "types_named",
    "vocabulary_codes",
]
