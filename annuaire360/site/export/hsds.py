"""Open Referral HSDS 3.0: ``services.json`` (every service, nested as the compiled ``service`` schema
describes it: organization, phones, schedules, service areas, service_at_locations with their location
and address) and ``organizations.json``.

HSDS ids are UUIDs: each is a UUID v5 of the site's address and our own identifier, so it never changes.
Our types and situations travel as ``attributes`` of two taxonomies published with the site
(/glossaire/ and the data dictionary).
"""

from __future__ import annotations

from typing import Any

from ... import format as fmt
from ..model import Annuaire, DepartementView, StructureView
from .common import json_bytes, stable_uuid, zone_codes
from .dates import record_date, structure_date
from .hours import DAYS, weekly_slots

_ICAL_DAYS = dict(zip(DAYS, ("MO", "TU", "WE", "TH", "FR", "SA", "SU"), strict=True))


class _Ids:
    """UUIDs of one site's records."""

    def __init__(self, base: str) -> None:
        self.base = base

    def __call__(self, kind: str, key: str) -> str:
        return stable_uuid(self.base, kind, key)


def _drop_none(record: dict[str, Any]) -> dict[str, Any]:
    """A record without its absent values, nested records included (HSDS types are never null)."""
    cleaned: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, dict):
            value = _drop_none(value)
        elif isinstance(value, list):
            value = [_drop_none(item) if isinstance(item, dict) else item for item in value]
        if value is not None and value != []:
            cleaned[key] = value
    return cleaned


def _schedules(ids: _Ids, owner: str, hours: str | None, key: str, **link: str) -> list[dict[str, Any]]:
    """HSDS schedules (iCal-like weekly rules) of an OSM opening-hours value; its text is kept in ``notes``."""
    if not hours:
        return []
    slots = weekly_slots(hours)
    if slots is None:
        return [{"id": ids("schedule", f"{key}-0"), **link, "description": owner, "notes": hours}]
    return [
        {"id": ids("schedule", f"{key}-{n}"), **link, "freq": "WEEKLY", "wkst": "MO",
         "byday": ",".join(_ICAL_DAYS[day] for day in slot.days),
         "opens_at": f"{slot.opens}:00", "closes_at": f"{slot.closes}:00", "description": owner, "notes": hours}
        for n, slot in enumerate(slots)
    ]


def _phones(ids: _Ids, contacts: list[fmt.PointDeContact], key: str, service_id: str) -> list[dict[str, Any]]:
    phones = []
    for n, point in enumerate(contacts):
        for kind, number in (("voice", point.telephone), ("text", point.sms)):
            if number is None:
                continue
            details = [point.libelle, fmt.POUR[point.pour]]
            if number.free:
                details.append("appel gratuit")
            if point.accessibilite:
                details.append(point.accessibilite)
            phones.append({
                "id": ids("phone", f"{key}-{n}-{kind}"), "service_id": service_id, "number": number.e164,
                "type": kind, "description": " ; ".join(details),
                "languages": [{"id": ids("language", f"{key}-{n}-{kind}-fr"), "name": "français", "code": "fr"}],
            })
    return phones


def _service_areas(ids: _Ids, view: StructureView, service_id: str) -> list[dict[str, Any]]:
    return [
        {"id": ids("service_area", f"{view.data.id}-{code}"), "service_id": service_id,
         "name": "France entière" if code == "france" else code,
         "description": view.scope_label, "uri": None if code == "france" else _cog_uri(code)}
        for code in zone_codes(view)
    ]


def _cog_uri(code: str) -> str:
    """The INSEE page of a COG code (département, commune or EPCI)."""
    if len(code) <= 3:
        return f"https://www.insee.fr/fr/metadonnees/geographie/departement/{code}"
    if len(code) == 9:
        return f"https://www.insee.fr/fr/metadonnees/geographie/intercommunalite/{code}"
    return f"https://www.insee.fr/fr/metadonnees/geographie/commune/{code}"


def _location(ids: _Ids, view: StructureView, service_id: str) -> list[dict[str, Any]]:
    """A service_at_location for the structure's premises, when its address is published."""
    s = view.data
    if not (s.adresse and s.code_postal and s.commune):
        return []
    location_id = ids("location", s.id)
    departement = view.home.info.nom if view.home else (view.departements[0].info.nom if view.departements else "")
    address = _drop_none({
        "id": ids("address", s.id), "location_id": location_id, "address_1": s.adresse,
        "address_2": s.complement_adresse, "city": s.commune, "state_province": departement or s.commune,
        "region": view.home.region.info.nom if view.home else None,
        "postal_code": s.code_postal, "country": "FR", "address_type": "physical",
    })
    location = _drop_none({
        "id": location_id, "location_type": "physical", "name": s.nom,
        "latitude": s.coordonnees.latitude if s.coordonnees else None,
        "longitude": s.coordonnees.longitude if s.coordonnees else None,
        "external_identifier": s.code_insee, "external_identifier_type": "code INSEE de la commune" if s.code_insee else None,
        "addresses": [address],
        "schedules": _schedules(ids, "Horaires de l'accueil", s.horaires_accueil, f"{s.id}-accueil", location_id=location_id),
    })
    return [{"id": ids("service_at_location", s.id), "service_id": service_id, "location_id": location_id,
             "location": location}]


def _taxonomy_attribute(ids: _Ids, base: str, service_id: str, taxonomy: str, code: str, label: str) -> dict[str, Any]:
    term_id = ids(f"taxonomy_term/{taxonomy}", code)
    return {
        "id": ids("attribute", f"{service_id}-{taxonomy}-{code}"), "link_id": service_id, "link_type": "service",
        "link_entity": "service", "taxonomy_term_id": term_id, "value": code,
        "taxonomy_term": {"id": term_id, "code": code, "name": label, "description": label,
                          "taxonomy": taxonomy, "language": "fr", "term_uri": f"{base}/donnees/dictionnaire/#{taxonomy}-{code}"},
    }


class _Organizations:
    """Organizations by key: a structure's gestionnaire (one per name and SIRET/FINESS), else the structure itself."""

    def __init__(self, ids: _Ids) -> None:
        self.ids = ids
        self.found: dict[str, dict[str, Any]] = {}
        self.runs: dict[str, list[str]] = {}

    def of(self, organisation: fmt.Organisation | None, fallback: str, fallback_description: str) -> str:
        if organisation is None:
            key = f"structure:{fallback}"
            name, description, website, identifiers = fallback, fallback_description, None, []
        else:
            key = f"organisation:{organisation.nom}|{organisation.siret or ''}|{organisation.finess or ''}"
            name, website = organisation.nom, organisation.site_web
            identifiers = [(t, v) for t, v in (("SIRET", organisation.siret), ("FINESS", organisation.finess)) if v]
            description = ""
        org_id = self.ids("organization", key)
        if key not in self.found:
            self.found[key] = _drop_none({
                "id": org_id, "name": name, "description": description, "website": website,
                "organization_identifiers": [
                    {"id": self.ids("organization_identifier", f"{key}-{kind}"), "organization_id": org_id,
                     "identifier_type": kind, "identifier_scheme": "FR-SIRET" if kind == "SIRET" else None,
                     "identifier": value}
                    for kind, value in identifiers
                ],
            })
            self.runs[key] = []
        if organisation is not None:
            self.runs[key].append(fallback)
        return key

    def record(self, key: str) -> dict[str, Any]:
        """The organization, its description written from what it runs when our data has none."""
        organization = dict(self.found[key])
        if not organization.get("description"):
            organization["description"] = "Gère : " + ", ".join(sorted(set(self.runs[key]))) + "."
        return organization


def _service(ids: _Ids, base: str, view: StructureView, organizations: _Organizations) -> dict[str, Any]:
    s = view.data
    service_id = ids("service", s.id)
    org_key = organizations.of(s.gestionnaire, s.nom, f"{view.type.libelle} — {view.scope_label}.")
    attributes = [_taxonomy_attribute(ids, base, service_id, "type", view.type.code, view.type.libelle)]
    attributes += [_taxonomy_attribute(ids, base, service_id, "situation", code, fmt.SITUATIONS[code])
                   for code in s.public.situations]
    email = next((c.courriel for c in s.contacts if c.courriel), None)
    return {
        "id": service_id, "organization_key": org_key, "name": s.nom, "alternate_name": s.sigle,
        "description": "\n\n".join(p for p in (view.type.explication, s.description) if p),
        "url": base + view.url, "email": email, "status": "active",
        "application_process": fmt.ACCES[s.acces], "eligibility_description": fmt.NOTIFICATIONS[s.notification_mdph],
        "minimum_age": s.public.age_min, "maximum_age": s.public.age_max,
        "assured_date": s.verifie_le.isoformat() if s.verifie_le else None,
        "last_modified": f"{structure_date(view).isoformat()}T00:00:00Z",
        "phones": _phones(ids, s.contacts, s.id, service_id),
        "schedules": [sch for n, c in enumerate(s.contacts)
                      for sch in _schedules(ids, c.libelle, c.horaires, f"{s.id}-{n}", service_id=service_id)],
        "service_areas": _service_areas(ids, view, service_id),
        "service_at_locations": _location(ids, view, service_id),
        "languages": [{"id": ids("language", f"{s.id}-fr"), "service_id": service_id, "name": "français", "code": "fr"}],
        "attributes": attributes,
    }


def _communaute_service(ids: _Ids, base: str, annuaire: Annuaire, departement: DepartementView,
                        organizations: _Organizations) -> dict[str, Any]:
    """A département's communauté 360: reached on the national number, plus its local contacts."""
    c = departement.communaute
    assert c is not None
    national = annuaire.national.numero_national
    key = f"communaute-360-{departement.info.code.lower()}"
    service_id = ids("service", key)
    org_key = organizations.of(c.porteur, c.nom, f"Communauté 360 — {departement.label}.")
    phones = _phones(ids, [fmt.PointDeContact.model_construct(libelle=national.libelle, telephone=national.telephone,
                                              horaires=national.horaires,
                                              accessibilite=national.accessibilite.une_ligne if national.accessibilite else None)],
                     f"{key}-national", service_id)
    phones += _phones(ids, c.contacts, key, service_id)
    record = record_date(c)
    return {
        "id": service_id, "organization_key": org_key, "name": c.nom,
        "description": "\n\n".join(p for p in (national.presentation, c.presentation) if p),
        "url": base + departement.url, "status": "active", "fees_description": "Appel gratuit.",
        "application_process": fmt.ACCES["direct-ou-professionnel"], "eligibility_description": fmt.NOTIFICATIONS["non"],
        "assured_date": c.verifie_le.isoformat() if c.verifie_le else None,
        "last_modified": f"{record.isoformat()}T00:00:00Z",
        "phones": phones,
        "schedules": _schedules(ids, "Horaires de l'équipe", c.horaires, key, service_id=service_id),
        "service_areas": [{"id": ids("service_area", key), "service_id": service_id, "name": departement.label,
                           "description": c.zone_eligibilite.precisions if c.zone_eligibilite and c.zone_eligibilite.precisions
                           else "Tout le département", "uri": _cog_uri(departement.info.code)}],
        "languages": [{"id": ids("language", f"{key}-fr"), "service_id": service_id, "name": "français", "code": "fr"}],
        "attributes": [_taxonomy_attribute(ids, base, service_id, "type", "communaute-360", "Communauté 360")],
    }


def export_hsds(annuaire: Annuaire) -> dict[str, bytes]:
    """``hsds/services.json`` and ``hsds/organizations.json``: JSON arrays, ordered by id."""
    base = annuaire.site.url
    ids = _Ids(base)
    organizations = _Organizations(ids)
    drafts = [_communaute_service(ids, base, annuaire, d, organizations) for d in annuaire.departements if d.communaute]
    drafts += [_service(ids, base, view, organizations) for view in annuaire.structures.values()]
    services = []
    for draft in drafts:
        organization = organizations.record(draft.pop("organization_key"))
        services.append(_drop_none({**draft, "organization_id": organization["id"], "organization": organization}))
    listed = sorted((organizations.record(key) for key in organizations.found), key=lambda o: o["id"])
    return {
        "donnees/hsds/services.json": json_bytes(sorted(services, key=lambda s: s["id"])),
        "donnees/hsds/organizations.json": json_bytes(listed),
    }
