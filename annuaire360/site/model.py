"""The site model: validated records assembled into what the pages read (pure data, no I/O).

Every page reads from this model: départements with their communauté, members grouped by
type and the wider resources that cover them; régions; types; every structure at its URL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from markupsafe import Markup

from .. import format as fmt
from ..format.values import DEPARTEMENT_CODES
from ..source import Dataset
from ..source.content import ContentSource
from ..source.imports import ImportedFacts, ImportIndex, index_imports, linked_ids, merge
from .text import markdown_page


@dataclass
class StructureView:
    """A structure and what the pages need around it."""

    data: fmt.Structure
    type: fmt.TypeStructure
    source_file: str  # data file to edit, relative to the repository
    home: DepartementView | None  # département whose file lists it (None for wider resources)
    departements: list[DepartementView] = field(default_factory=list)  # départements it covers
    national: bool = False
    rank: int = 0  # position of its type in data/types.yaml, for grouping in a stable order
    role: str | None = None  # its role in its home département's communauté (format.ROLES), if a member
    imports: list[ImportedFacts] = field(default_factory=list)  # what official open data brought to the fiche

    @property
    def imported_only(self) -> bool:
        """Whether every fact of the fiche comes from an official dataset (no hand-written structure)."""
        return bool(self.imports) and not self.imports[0].fields

    @property
    def url(self) -> str:
        return f"/structures/{self.data.id}/"

    @cached_property
    def besoins(self) -> set[str]:
        """The needs it answers: its type's (data/types.yaml) and its own."""
        return set(self.type.besoins or ()) | set(self.data.besoins)

    @property
    def notification(self) -> str | None:
        """Its notification code when the question makes sense (never for the MDPH itself)."""
        if "sans-objet" in (self.type.notification_mdph, self.data.notification_mdph):
            return None
        return self.data.notification_mdph

    @property
    def role_known(self) -> bool:
        """Whether a source says it is a member (cœur or partenaire) of its département's communauté 360."""
        return self.role is not None

    @property
    def zone(self) -> str | None:
        """The département whose clock its opening hours follow (its file's, else the first it covers)."""
        if self.home is not None:
            return self.home.info.code
        return self.departements[0].info.code if self.departements and not self.national else None

    @property
    def scope_label(self) -> str:
        """Plain French words for the territory covered."""
        if self.national:
            return "Toute la France"
        zone = self.data.zone_eligibilite
        names = ", ".join(d.label for d in self.departements) or "Non précisé"
        if zone and zone.precisions:
            # Words written by a contributor say more than codes (a part of a département, a former région).
            return f"{zone.precisions} — {names}"
        return names


@dataclass
class TypeGroup:
    """Structures of one type, with the type's plain explanation."""

    type: fmt.TypeStructure
    structures: list[StructureView]

    @property
    def notification(self) -> str | None:
        """The notification every structure of the group shares, if known (said once, under the group's title)."""
        return shared_notification(self.structures)


def shared_notification(views: list[StructureView]) -> str | None:
    """The notification every structure of a list shares, if it is known (« oui » or « non »): said once."""
    values = {view.notification for view in views}
    value = values.pop() if len(values) == 1 else None
    return value if value in ("oui", "non") else None


MDPH_TYPES = ("mdph", "mda")
"""Types of the département's rights office, offered when a search or a need finds nothing else."""


@dataclass(frozen=True)
class BesoinView:
    """One need of the families: its national page and its page in each département."""

    info: fmt.Besoin

    @property
    def code(self) -> str:
        return self.info.code

    @property
    def url(self) -> str:
        return f"/besoins/{self.info.code}/"

    def url_in(self, departement: DepartementView) -> str:
        """The page of this need in a département."""
        return f"{departement.url}{self.info.code}/"


@dataclass
class DepartementView:
    """One département page."""

    info: fmt.Departement
    region: RegionView
    source_file: str
    communaute: fmt.Communaute360 | None = None
    members: list[StructureView] = field(default_factory=list)  # the structures of its file
    resources: list[StructureView] = field(default_factory=list)  # wider resources covering it
    community: list[tuple[StructureView, str]] = field(default_factory=list)  # communaute.membres: view, role

    @property
    def url(self) -> str:
        return f"/departements/{self.info.code.lower()}-{self.info.slug}/"

    @property
    def label(self) -> str:
        """How a département is named everywhere: « Corrèze (19) »."""
        return f"{self.info.nom} ({self.info.code})"

    # Cached: templates read them twice, and the lists are complete once build_model returns.
    @cached_property
    def community_ids(self) -> set[str]:
        return {view.data.id for view, _ in self.community}

    @cached_property
    def member_groups(self) -> list[TypeGroup]:
        """The other services of the département: its structures that are not members of its communauté."""
        return group_by_type([view for view in self.members if view.data.id not in self.community_ids])

    @cached_property
    def resource_groups(self) -> list[TypeGroup]:
        return group_by_type(self.resources)

    @property
    def avec_article(self) -> str:
        """« la Seine-Saint-Denis », « le Nord », « l'Ain », « Paris » (the COG's article)."""
        return self.info.avec_article

    @property
    def de_nom(self) -> str:
        """« de la Seine-Saint-Denis », « du Nord », « de l'Ain », « de Paris » (the COG's charnière)."""
        return self.info.de_nom

    @cached_property
    def mdph(self) -> StructureView | None:
        """The département's MDPH (or MDA), if the directory describes it."""
        return next((view for view in self.members if view.type.code in MDPH_TYPES), None)

    def answering(self, besoin: str) -> tuple[list[TypeGroup], list[TypeGroup]]:
        """The structures of the département, then the wider resources covering it, that answer a need."""
        return (group_by_type([v for v in self.members if besoin in v.besoins]),
                group_by_type([v for v in self.resources if besoin in v.besoins]))


@dataclass
class RegionView:
    """One région page: its départements."""

    info: fmt.Region
    departements: list[DepartementView] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"/regions/{self.info.slug}/"


@dataclass
class Annuaire:
    """The whole site model."""

    site: fmt.FichierSite
    national: fmt.FichierNational
    types: dict[str, fmt.TypeStructure]
    regions: list[RegionView]
    departements: list[DepartementView]
    structures: dict[str, StructureView]
    national_resources: list[StructureView]
    content: list[ContentPage]
    territoires_file: str  # repository paths of the files some pages come from
    types_file: str
    facile_a_lire: fmt.FichierFacileALire
    facile_a_lire_file: str
    modified: dict[str, dt.date] = field(default_factory=dict)  # « modifié le »: repository path → last commit date
    besoins: list[BesoinView] = field(default_factory=list)
    besoins_file: str = "data/besoins.yaml"
    national_file: str = "data/national.yaml"
    besoins_data: fmt.FichierBesoins | None = None
    mots: list[fmt.GroupeDeMots] = field(default_factory=list)

    def national_answering(self, besoin: str) -> list[StructureView]:
        """The national resources that answer a need."""
        return [view for view in self.national_resources if besoin in view.besoins]

    @cached_property
    def _by_type(self) -> dict[str, list[StructureView]]:
        # one pass over the structures, whatever the number of types (type pages and the sitemap read it)
        found: dict[str, list[StructureView]] = {}
        for view in self.structures.values():
            found.setdefault(view.type.code, []).append(view)
        return found

    def structures_of_type(self, code: str) -> list[StructureView]:
        """The structures of a type, in the order of the directory."""
        return self._by_type.get(code, [])

    @property
    def counts(self) -> dict[str, int]:
        return {
            "departements": len(self.departements),
            "communautes": sum(1 for d in self.departements if d.communaute is not None),
            "structures": len(self.structures),
        }


def by_departement(structures: list[StructureView]) -> list[tuple[DepartementView | None, list[StructureView]]]:
    """Structures grouped by the départements they cover (None first: national ones), in département order."""
    national = [s for s in structures if s.national]
    groups: dict[str, tuple[DepartementView, list[StructureView]]] = {}
    for view in structures:
        for departement in view.departements:
            groups.setdefault(departement.info.code, (departement, []))[1].append(view)
    ordered: list[tuple[DepartementView | None, list[StructureView]]] = [(None, national)] if national else []
    for departement, views in sorted(groups.values(), key=lambda group: departement_order(group[0].info.code)):
        ordered.append((departement, sorted(views, key=name_order)))
    return ordered


@dataclass(frozen=True)
class TypeInDepartement:
    """How many structures of one type serve a département, and where its page lists them."""

    code: str  # the type
    departement: DepartementView
    community: int  # members of its communauté (« Les membres de la communauté 360 »)
    members: int  # its other structures (#type-<code>)
    resources: int  # listed under « Autres ressources pour ce département » (#ressource-<code>)

    @property
    def count(self) -> int:
        return self.community + self.members + self.resources

    @property
    def anchor(self) -> str:
        """The heading of the département page where the first of them is listed."""
        if self.community:
            return "communaute-membres-titre"
        return f"type-{self.code}" if self.members else f"ressource-{self.code}"


def types_by_departement(annuaire: Annuaire) -> dict[str, list[tuple[RegionView, list[TypeInDepartement]]]]:
    """For each type code: the départements its structures serve, région by région (in one pass over the
    départements, whatever the number of types)."""
    found: dict[str, dict[str, TypeInDepartement]] = {}
    for departement in annuaire.departements:
        counts: dict[str, list[int]] = {}
        for view, _ in departement.community:
            counts.setdefault(view.type.code, [0, 0, 0])[0] += 1
        for group in departement.member_groups:
            counts.setdefault(group.type.code, [0, 0, 0])[1] = len(group.structures)
        for group in departement.resource_groups:
            counts.setdefault(group.type.code, [0, 0, 0])[2] = len(group.structures)
        for code, (community, members, resources) in counts.items():
            found.setdefault(code, {})[departement.info.code] = TypeInDepartement(
                code, departement, community, members, resources)
    ordered: dict[str, list[tuple[RegionView, list[TypeInDepartement]]]] = {}
    for code, by_code in found.items():
        ordered[code] = [
            (region, [by_code[d.info.code] for d in region.departements if d.info.code in by_code])
            for region in annuaire.regions
            if any(d.info.code in by_code for d in region.departements)
        ]
    return ordered


def region_resources(annuaire: Annuaire, region: RegionView) -> list[StructureView]:
    """Wider resources (data/ressources/) that cover at least one département of a région."""
    codes = {d.info.code for d in region.departements}
    return [
        s for s in annuaire.structures.values()
        if s.home is None and not s.national and any(d.info.code in codes for d in s.departements)
    ]


def group_by_type(structures: list[StructureView]) -> list[TypeGroup]:
    """Group structures by type, in the order of data/types.yaml, names sorted within a group."""
    groups: dict[str, list[StructureView]] = {}
    for view in structures:
        groups.setdefault(view.type.code, []).append(view)
    ordered = sorted(groups.items(), key=lambda item: item[1][0].rank)
    return [TypeGroup(type=views[0].type, structures=sorted(views, key=name_order)) for _, views in ordered]


def name_order(view: StructureView) -> tuple[str, str]:
    """Sort key of structures within a list: by name, whatever its case, then by identifier."""
    return (view.data.nom.casefold(), view.data.id)


@dataclass(frozen=True)
class ContentPage:
    """A content page (content/*.md) with its Markdown rendered."""

    source: ContentSource
    html: str

    @property
    def slug(self) -> str:
        return self.source.slug

    @property
    def url(self) -> str:
        return self.source.url

    @property
    def title(self) -> str:
        return self.source.header.titre

    @property
    def description(self) -> str:
        return self.source.header.description


@dataclass
class _Assembly:
    """The views being built from one dataset: départements first, then the structures that point at them."""

    dataset: Dataset
    types: dict[str, fmt.TypeStructure]
    departements: dict[str, DepartementView] = field(default_factory=dict)
    structures: dict[str, StructureView] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rank = {code: i for i, code in enumerate(self.types)}  # the order of data/types.yaml
        self.imported = index_imports(self.dataset)

    def view(self, structure: fmt.Structure, source: str, home: DepartementView | None, *,
             national: bool = False, imports: list[ImportedFacts] | None = None) -> StructureView:
        view = StructureView(structure, self.types[structure.type], source, home, national=national,
                             rank=self.rank[structure.type], imports=imports or [])
        self.structures[structure.id] = view
        return view

    def departement_views(self) -> dict[str, RegionView]:
        """A view per département of the COG (with or without its file), each in its région."""
        territoires = self.dataset.territoires.record
        regions = {r.code: RegionView(info=r) for r in territoires.regions}
        files = {loaded.record.code: loaded for loaded in self.dataset.departements}
        folder = self.dataset.files.folder
        for info in territoires.departements:
            loaded = files.get(info.code)
            source = loaded.file if loaded else folder.file(folder.path / "departements" / f"{info.code}-{info.slug}.yaml", "")
            view = DepartementView(info=info, region=regions[info.region], source_file=source.repository_path,
                                   communaute=loaded.record.communaute if loaded else None)
            self.departements[info.code] = view
            regions[info.region].departements.append(view)
        return regions

    def members(self) -> None:
        """Structures of a département file: members of their département, resources of the others they cover."""
        for loaded in self.dataset.departements:
            home = self.departements[loaded.record.code]
            for structure in loaded.record.structures:
                covered = structure.zone_eligibilite.departements if structure.zone_eligibilite else []
                completed, facts = _completed(structure, self.imported)
                view = self.view(completed, loaded.file.repository_path, home, imports=facts)
                view.departements = [home] + [self.departements[c] for c in covered if c != home.info.code]
                home.members.append(view)
                for other in view.departements[1:]:
                    other.resources.append(view)

    def resources(self) -> None:
        """Structures written once for several départements (data/ressources/)."""
        for loaded in self.dataset.ressources:
            for structure in loaded.record.ressources:
                assert structure.zone_eligibilite is not None  # guaranteed by FichierRessources
                view = self.view(structure, loaded.file.repository_path, None)
                view.departements = [self.departements[c] for c in structure.zone_eligibilite.departements]
                for covered in view.departements:
                    covered.resources.append(view)

    def community(self) -> None:
        """The members each communauté names (communaute.membres), with their role."""
        for loaded in self.dataset.departements:
            home = self.departements[loaded.record.code]
            for member in loaded.record.communaute.membres if loaded.record.communaute else []:
                linked = self.imported.links.get(member.id)  # an imported record completing a hand-written one
                view = self.structures.get(linked[2].id if linked else member.id)
                if view is None:  # a hidden imported record (masquer)
                    continue
                home.community.append((view, member.role))
                if view.home is home:
                    view.role = member.role
    def imported_records(self) -> None:
        """Imported records shown on their own (neither hidden nor completing a hand-written structure), each a
        member of its département; « Modifier le fichier de données » leads to the département file, where
        corrections are written."""
        for imported_file, _, record in self.imported.visible():
            home = self.departements[imported_file.record.departement]
            facts = [ImportedFacts(imported_file.record.source, imported_file.record.jeu_de_donnees, record, ())]
            view = self.view(record, home.source_file, home, imports=facts)
            view.departements = [home]
            home.members.append(view)

    def nationals(self) -> list[StructureView]:
        """Structures that help everywhere in France (data/national.yaml)."""
        source = self.dataset.national.file.repository_path
        return [self.view(s, source, None, national=True) for s in self.dataset.national.record.ressources_nationales]


def build_model(dataset: Dataset, modified: dict[str, dt.date] | None = None) -> Annuaire:
    """Assemble the site model from a dataset that passed validation; ``modified`` gives each data file's last
    change (``source.history``), by path relative to the data folder."""
    assembly = _Assembly(dataset, {t.code: t for t in dataset.types.record.types})
    regions = sorted(assembly.departement_views().values(), key=lambda r: r.info.nom)
    assembly.members()
    assembly.resources()
    assembly.imported_records()
    national_resources = assembly.nationals()
    assembly.community()
    for region in regions:
        region.departements.sort(key=lambda d: departement_order(d.info.code))
    return Annuaire(
        site=dataset.site.record,
        national=dataset.national.record,
        types=assembly.types,
        regions=regions,
        departements=sorted(assembly.departements.values(), key=lambda d: departement_order(d.info.code)),
        structures=dict(sorted(assembly.structures.items())),
        national_resources=national_resources,
        content=[ContentPage(page, Markup(markdown_page(page.body))) for page in dataset.content],
        territoires_file=dataset.territoires.file.repository_path,
        types_file=dataset.types.file.repository_path,
        besoins=[BesoinView(b) for b in dataset.besoins.record.besoins],
        besoins_file=dataset.besoins.file.repository_path,
        national_file=dataset.national.file.repository_path,
        besoins_data=dataset.besoins.record,
        mots=list(dataset.mots.record.groupes),
        facile_a_lire=dataset.facile_a_lire.record,
        facile_a_lire_file=dataset.facile_a_lire.file.repository_path,
        modified={f"data/{name}": date for name, date in (modified or {}).items()},  # as DataFile.repository_path
    )


def _completed(structure: fmt.Structure, imported: ImportIndex) -> tuple[fmt.Structure, list[ImportedFacts]]:
    """A hand-written structure completed by the imported records it names (the Annuaire first, then FINESS)."""
    facts = []
    for source, record_id in linked_ids(structure):
        entry = imported.records.get(record_id)
        if entry is None:
            continue
        imported_file, _, record = entry
        structure, fields = merge(structure, record)
        if fields:
            facts.append(ImportedFacts(source, imported_file.record.jeu_de_donnees, record, fields))
    return structure, facts


_ORDER = {code: rank for rank, code in enumerate(DEPARTEMENT_CODES)}


def departement_order(code: str) -> int:
    """Sort key of a (validated) département code: 01…19, 2A, 2B, 21…95, 971…976, the usual order."""
    return _ORDER[code]
