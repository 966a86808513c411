"""vCard 4.0 (RFC 6350): « Ajouter à mes contacts », one card per structure with a phone, and one for
the national number.

Written by hand (the maintained Python library, vobject, writes only vCard 3.0; the tests read every card
back with it). Text values are escaped (§3.4: backslash, comma, semicolon, new line), lines end in CRLF
and are folded at 75 octets without cutting a UTF-8 character (§3.2), so no text in the data can add a
property to a card.
"""

from __future__ import annotations

from ... import format as fmt
from ...format.values import Phone
from ..model import Annuaire, StructureView
from ..text import hours_fr
from .common import stable_uuid
from .dates import record_date, structure_date

MEDIA_TYPE = "text/vcard"
NATIONAL_PATH = "donnees/numero-national.vcf"


def card_path(structure_id: str) -> str:
    """Where a structure's card is, in the site."""
    return f"donnees/vcard/{structure_id}.vcf"


def escape(text: str) -> str:
    """A TEXT value (RFC 6350 §3.4)."""
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\r\n", "\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line, folded at 75 octets (continuation lines start with a space), CRLF-terminated."""
    out: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out) + "\r\n"


def _tel(phone: Phone, kind: str, preferred: bool) -> str:
    pref = ";PREF=1" if preferred else ""
    return f"TEL;VALUE=uri;TYPE={kind}{pref}:tel:{phone.e164}"


def _hours(value: str | None) -> str | None:
    if not value:
        return None
    return hours_fr(value) or value


def _contact_note(point: fmt.PointDeContact) -> str:
    parts = [point.libelle]
    if point.telephone:
        parts.append(point.telephone.display + (" (appel gratuit)" if point.telephone.free else ""))
    if hours := _hours(point.horaires):
        parts.append(hours)
    if point.accessibilite:
        parts.append(point.accessibilite)
    return " — ".join(parts)


def _card(lines: list[str]) -> bytes:
    return "".join(fold(line) for line in ["BEGIN:VCARD", "VERSION:4.0", *lines, "END:VCARD"]).encode()


def structure_card(view: StructureView, base: str) -> bytes | None:
    """A structure's card, or None when it has no phone."""
    s = view.data
    phones = [(c.telephone, "work,voice") for c in s.contacts if c.telephone]
    phones += [(c.sms, "work,text") for c in s.contacts if c.sms]
    if not any(kind == "work,voice" for _, kind in phones):
        return None
    lines = ["KIND:org", f"FN:{escape(s.nom)}", f"ORG:{escape(s.nom)}"]
    lines += [_tel(phone, kind, n == 0) for n, (phone, kind) in enumerate(phones) if phone is not None]
    lines += [f"EMAIL;TYPE=work:{escape(c.courriel)}" for c in s.contacts if c.courriel]
    if s.adresse and s.code_postal and s.commune:
        parts = ["", s.complement_adresse or "", s.adresse, s.commune, "", s.code_postal, "France"]
        lines.append("ADR;TYPE=work:" + ";".join(escape(part) for part in parts))
    if s.coordonnees is not None:
        lines.append(f"GEO:geo:{s.coordonnees.latitude},{s.coordonnees.longitude}")
    if s.site_web:
        lines.append(f"URL:{s.site_web}")
    notes = [_contact_note(c) for c in s.contacts if c.telephone or c.sms]
    if hours := _hours(s.horaires_accueil):
        notes.append(f"Accueil : {hours}")
    notes.append(f"Fiche : {base}{view.url}")
    lines += [
        f"NOTE:{escape(chr(10).join(notes))}",
        f"UID:urn:uuid:{stable_uuid(base, 'vcard', s.id)}",
        f"REV:{structure_date(view).strftime('%Y%m%d')}T000000Z",
        f"SOURCE:{base}/{card_path(s.id)}",
    ]
    return _card(lines)


def national_card(annuaire: Annuaire) -> bytes:
    """The national number's card: free call, who may call, its hours if a source gives them."""
    national = annuaire.national.numero_national
    base = annuaire.site.url
    notes = ["Appel gratuit. Pour les personnes handicapées de tout âge, leurs familles, leurs proches aidants "
             "et les professionnels. Pas besoin de dossier à la MDPH pour appeler."]
    if hours := _hours(national.horaires):
        notes.append(f"Horaires : {hours}")
    if national.accessibilite:
        notes.append(national.accessibilite.une_ligne)
    lines = [
        "KIND:org", f"FN:{escape(national.libelle)}", f"ORG:{escape(national.libelle)}",
        _tel(national.telephone, "work,voice", True), f"URL:{base}/",
        f"NOTE:{escape(chr(10).join(notes))}",
        f"UID:urn:uuid:{stable_uuid(base, 'vcard', 'numero-national')}",
        f"REV:{record_date(national).strftime('%Y%m%d')}T000000Z",
        f"SOURCE:{base}/{NATIONAL_PATH}",
    ]
    return _card(lines)


def export_vcards(annuaire: Annuaire) -> dict[str, bytes]:
    """Every card by path: the national number's, then one per structure with a phone."""
    files = {NATIONAL_PATH: national_card(annuaire)}
    for view in annuaire.structures.values():
        card = structure_card(view, annuaire.site.url)
        if card is not None:
            files[card_path(view.data.id)] = card
    return files
