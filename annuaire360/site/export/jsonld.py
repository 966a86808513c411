"""schema.org JSON-LD of a fiche and of a département page, written into the page as a data block.

A fiche is a ``Service`` (``GovernmentService`` for the public ones: MDPH, MDA, communauté 360) with its
provider, the area it serves, its audience and one ``ServiceChannel`` per contact point, whose
``ContactPoint`` carries the number, its hours and whether the call is free. A département page describes
its communauté 360, reached on the national number: a free line that the person, the family, the
carers and professionals may call. ``<``, ``>`` and ``&`` are written as JSON escapes, so no text in
the data can close the script element.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from ... import format as fmt
from ..model import Annuaire, DepartementView, StructureView
from .dates import departement_date, structure_date
from .hours import weekly_slots

SCHEMA = "https://schema.org/"
PUBLIC_TYPES = frozenset({"mdph", "mda", "communaute-360"})  # run by public bodies: GovernmentService
WHO_MAY_CALL = ("Appel gratuit. La personne handicapée, à tout âge, sa famille, ses proches aidants et les "
                "professionnels peuvent appeler, sans dossier à la MDPH.")
_DAY_NAMES = {"Mo": "Monday", "Tu": "Tuesday", "We": "Wednesday", "Th": "Thursday", "Fr": "Friday",
              "Sa": "Saturday", "Su": "Sunday"}


def _hours(value: str | None) -> list[dict[str, Any]] | None:
    slots = weekly_slots(value) if value else None
    if not slots:
        return None
    return [{"@type": "OpeningHoursSpecification", "dayOfWeek": [SCHEMA + _DAY_NAMES[d] for d in slot.days],
             "opens": slot.opens, "closes": slot.closes} for slot in slots]


def _area(departement: DepartementView) -> dict[str, Any]:
    return {"@type": "AdministrativeArea", "name": departement.info.nom, "identifier": departement.info.code}


def _clean_document(document: dict[str, Any]) -> dict[str, Any]:
    """A document without its absent values (schema.org has no use for null or [])."""
    cleaned: dict[str, Any] = _clean(document)
    return cleaned


def _clean(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _clean(v) for k, v in node.items() if v is not None and v != []}
    if isinstance(node, list):
        return [_clean(item) for item in node]
    return node


def _contact_point(point: fmt.PointDeContact) -> dict[str, Any]:
    phone = point.telephone
    return {
        "@type": "ContactPoint", "contactType": point.libelle, "telephone": phone.e164 if phone else None,
        "email": point.courriel, "hoursAvailable": _hours(point.horaires), "availableLanguage": "fr",
        "contactOption": [SCHEMA + "TollFree"] if phone and phone.free else None,
        "description": " ".join(p for p in (fmt.POUR[point.pour] + ".", point.accessibilite, point.precisions) if p),
    }


def _channel(point: fmt.PointDeContact) -> dict[str, Any]:
    return {"@type": "ServiceChannel", "name": point.libelle, "servicePhone": _contact_point(point),
            "serviceSmsNumber": point.sms.e164 if point.sms else None, "serviceUrl": point.formulaire,
            "availableLanguage": "fr"}


def _place(view: StructureView) -> dict[str, Any] | None:
    s = view.data
    if not (s.adresse or s.commune):
        return None
    geo = ({"@type": "GeoCoordinates", "latitude": s.coordonnees.latitude, "longitude": s.coordonnees.longitude}
           if s.coordonnees else None)
    return {"@type": "Place", "name": s.nom, "geo": geo, "openingHoursSpecification": _hours(s.horaires_accueil),
            "address": {"@type": "PostalAddress", "streetAddress": s.adresse, "postalCode": s.code_postal,
                        "addressLocality": s.commune, "addressCountry": "FR"}}


def _audience(public: fmt.Public) -> dict[str, Any]:
    kinds = [fmt.SITUATIONS[code] for code in public.situations]
    kinds += [label for present, label in ((public.aidants, "Proches aidants"),
                                           (public.professionnels, "Professionnels")) if present]
    return {"@type": "PeopleAudience", "audienceType": ", ".join(kinds) or None,
            "suggestedMinAge": public.age_min, "suggestedMaxAge": public.age_max}


def _page(url: str, name: str, date: str, about: str) -> dict[str, Any]:
    return {"@type": "WebPage", "@id": url, "url": url, "name": name, "inLanguage": "fr", "dateModified": date,
            "about": {"@id": about}}


def structure_graph(view: StructureView, annuaire: Annuaire) -> dict[str, Any]:
    """The JSON-LD document of a fiche."""
    s = view.data
    url = annuaire.site.url + view.url
    provider = s.gestionnaire
    place = _place(view)
    channels = [_channel(point) for point in s.contacts]
    if place is not None:
        channels.append({"@type": "ServiceChannel", "name": "Accueil sur place", "serviceLocation": place})
    service = {
        "@type": "GovernmentService" if view.type.code in PUBLIC_TYPES else "Service", "@id": url + "#service",
        "name": s.nom, "alternateName": s.sigle, "serviceType": view.type.libelle, "description": view.type.explication,
        "url": s.site_web or url,
        "provider": {"@type": "Organization", "name": provider.nom if provider else s.nom,
                     "url": provider.site_web if provider else s.site_web},
        "areaServed": ({"@type": "Country", "name": "France"} if view.national
                       else [_area(d) for d in view.departements]),
        "audience": _audience(s.public), "availableChannel": channels,
    }
    return _clean_document({"@context": "https://schema.org",
                            "@graph": [_page(url, s.nom, structure_date(view).isoformat(), url + "#service"), service]})


def departement_graph(departement: DepartementView, annuaire: Annuaire) -> dict[str, Any]:
    """The JSON-LD document of a département page: its communauté 360 and the national number."""
    national = annuaire.national.numero_national
    communaute = departement.communaute
    url = annuaire.site.url + departement.url
    line = {
        "@type": "ContactPoint", "contactType": national.libelle, "telephone": national.telephone.e164,
        "contactOption": [SCHEMA + "TollFree"] if national.telephone.free else None,
        "areaServed": _area(departement), "availableLanguage": "fr", "hoursAvailable": _hours(national.horaires),
        "description": WHO_MAY_CALL,
    }
    porteur = communaute.porteur if communaute else None
    service = {
        "@type": "GovernmentService", "@id": url + "#communaute-360",
        "name": communaute.nom if communaute else f"Communauté 360 — {departement.label}",
        "serviceType": "Communauté 360", "url": url, "areaServed": _area(departement),
        "audience": {"@type": "PeopleAudience", "audienceType": "Personnes handicapées de tout âge, leurs familles, "
                     "leurs proches aidants et les professionnels"},
        "provider": {"@type": "Organization", "name": porteur.nom, "url": porteur.site_web} if porteur else None,
        "availableChannel": [{"@type": "ServiceChannel", "name": national.libelle, "servicePhone": line,
                              "availableLanguage": "fr"},
                             *[_channel(point) for point in (communaute.contacts if communaute else [])]],
    }
    date = departement_date(departement, annuaire).isoformat()
    return _clean_document({"@context": "https://schema.org",
                            "@graph": [_page(url, departement.label, date, url + "#communaute-360"), service]})


def script(document: dict[str, Any]) -> Markup:
    """The ``<script type="application/ld+json">`` element of a document, safe inside HTML."""
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">{text}</script>')
