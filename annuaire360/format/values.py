"""Value types of the data format: codes, phone numbers, URLs, e-mails, opening hours, markdown.

Each type validates and normalises one kind of value and raises a French message that says
how to fix it. They are used by the pydantic models in ``format.py``.
"""

from __future__ import annotations

import calendar
import functools
import html
import re
import unicodedata
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import SplitResult, urlsplit

import idna
import opening_hours
import phonenumbers
from email_validator import EmailNotValidError, validate_email
from phonenumbers import PhoneNumberType, shortnumberinfo
from pydantic import AfterValidator, BeforeValidator, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from ..diagnostics import describe_character, ordinal, quoted, visible
from .hours_fr import NotUnderstoodError, to_osm


@dataclass(frozen=True)
class JsonSchema:
    """What a value type adds to its JSON Schema, declared on the type itself (``Annotated[…, JsonSchema(…)]``).

    Editors read these constraints while a contributor types. They must never refuse a value that the
    validators accept, so each pattern is a superset of its validator.
    """

    keywords: dict[str, Any]

    def __hash__(self) -> int:
        return id(self)

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # A field's own constraint (max_length=200) is stricter than its type's default (1 000): it wins.
        return {**self.keywords, **handler(schema)}


def json_schema(**keywords: Any) -> JsonSchema:
    """The JSON Schema keywords of a value type (``schema_`` prefixes are dropped: ``schema_enum`` → ``enum``)."""
    return JsonSchema({key.removeprefix("schema_"): value for key, value in keywords.items()})

# ---------------------------------------------------------------------------
# Codes


DEPARTEMENT_CODES: tuple[str, ...] = (
    *(f"{n:02d}" for n in range(1, 20)),
    "2A",
    "2B",
    *(f"{n:02d}" for n in range(21, 96)),
    "971",
    "972",
    "973",
    "974",
    "976",
)
"""The 101 départements (State circonscriptions, INSEE COG)."""

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX_LENGTH = 80
# Code formats, written once: checked here with re.fullmatch, published in the JSON Schema (schema.py).
# [0-9] rather than \d: \d would also accept other scripts' digits, which the JSON Schema refuses.
CODE_POSTAL_PATTERN = r"[0-9]{5}"
CODE_INSEE_PATTERN = r"[0-9]{5}|2[AB][0-9]{3}"
FINESS_PATTERN = r"[0-9]{2}[0-9AB][0-9]{6}"
EPCI_PATTERN = r"[0-9]{9}"


def _err(kind: str, message: str, **ctx: Any) -> PydanticCustomError:
    return PydanticCustomError(kind, message, ctx or None)


def fold(text: str) -> str:
    """How names and words are compared: no accents, lower case, words separated by one space
    ("Saint-Étienne" → "saint etienne"). ``static/lieux.js`` does exactly the same (same character ranges)."""
    text = unicodedata.normalize("NFD", text)
    text = re.sub("[\u0300-\u036f]", "", text).lower().replace("œ", "oe").replace("æ", "ae")
    return " ".join(re.sub("[^a-z0-9]+", " ", text).split())


def slugify(text: str) -> str:
    """The identifier a contributor probably meant: lower case, no accents, dashes between words."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _check_slug(value: str) -> str:
    if not SLUG_RE.fullmatch(value):
        guess = slugify(value)[:SLUG_MAX_LENGTH].rstrip("-")
        hint = f" ; écrivez par exemple « {guess} »" if guess else " (par exemple « pcpe-apajh-somme »)"
        raise _err(
            "slug",
            "identifiant « {value} » invalide : il sert d'adresse de page, donc seulement des lettres minuscules "
            "sans accent, des chiffres et des tirets (ni espace, ni « / », ni « . »){hint}",
            value=visible(value),
            hint=hint,
        )
    if len(value) > SLUG_MAX_LENGTH:
        raise _err("slug", "identifiant trop long ({n} caractères, {most} au plus) : raccourcissez-le",
                   n=len(value), most=SLUG_MAX_LENGTH)
    return value


def _check_departement(value: str) -> str:
    if value not in DEPARTEMENT_CODES:
        raise _err(
            "departement",
            "code de département « {value} » inconnu : écrivez-le sur deux chiffres entre guillemets "
            "(« 01 », « 09 »), « 2A » ou « 2B » pour la Corse, trois chiffres pour l'outre-mer (« 974 »)",
            value=visible(value),
        )
    return value


def _check_code_postal(value: str) -> str:
    if not re.fullmatch(CODE_POSTAL_PATTERN, value):
        raise _err(
            "code_postal",
            "code postal « {value} » invalide : cinq chiffres entre guillemets, par exemple \"01000\"",
            value=visible(value),
        )
    return value


def _check_code_insee(value: str) -> str:
    if not re.fullmatch(CODE_INSEE_PATTERN, value):
        raise _err(
            "code_insee",
            "code INSEE de commune « {value} » invalide : cinq caractères entre guillemets, par exemple "
            "\"01053\" ou \"2A004\" (ce n'est pas le code postal)",
            value=visible(value),
        )
    return value


def _check_siret(value: str) -> str:
    digits = value.replace(" ", "")
    if not re.fullmatch(r"[0-9]{14}", digits):
        raise _err("siret", "SIRET « {value} » invalide : 14 chiffres entre guillemets", value=visible(value))
    return digits


def _check_finess(value: str) -> str:
    if not re.fullmatch(FINESS_PATTERN, value):
        raise _err("finess", "numéro FINESS « {value} » invalide : 9 caractères entre guillemets", value=visible(value))
    return value


def _check_epci(value: str) -> str:
    if not re.fullmatch(EPCI_PATTERN, value):
        raise _err("epci", "code SIREN d'EPCI « {value} » invalide : 9 chiffres entre guillemets", value=visible(value))
    return value


IDENTIFIANT_ASP_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_-]{0,79}"


def _check_identifiant_asp(value: str) -> str:
    if not re.fullmatch(IDENTIFIANT_ASP_PATTERN, value):
        raise _err(
            "identifiant_asp",
            "identifiant « {value} » invalide : recopiez l'identifiant de la fiche dans l'Annuaire de "
            "l'administration (la fin de son adresse, par exemple \"0a1b2c3d-…\")",
            value=value,
        )
    return value


IdentifiantAsp = Annotated[str, AfterValidator(_check_identifiant_asp), json_schema(
    pattern=f"^{IDENTIFIANT_ASP_PATTERN}$",
    errorMessage="identifiant de la fiche : la fin de l'adresse de sa page sur service-public.gouv.fr, entre guillemets")]
"""The identifier of a record of DILA's Annuaire de l'administration (a UUID today)."""


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _text(value: Any) -> Any:
    """Blanks around a text removed, accents composed (« é » typed as « e » + accent, as some systems
    write it, becomes « é »: searches and comparisons then find it)."""
    return unicodedata.normalize("NFC", value.strip()) if isinstance(value, str) else value


# What the editor says (VS Code's YAML extension shows errorMessage / patternErrorMessage instead of the raw
# pattern): the same advice as the build's message, in French.
Slug = Annotated[str, AfterValidator(_check_slug), json_schema(
    pattern=SLUG_RE.pattern, maxLength=SLUG_MAX_LENGTH,
    errorMessage="identifiant : lettres minuscules sans accent, chiffres et tirets seulement (« pcpe-exemple-amiens »)")]
CodeDepartement = Annotated[str, AfterValidator(_check_departement), json_schema(
    enum=list(DEPARTEMENT_CODES),
    errorMessage="code de département entre guillemets : \"01\", \"2A\" ou \"2B\" pour la Corse, \"974\" outre-mer")]
CodePostal = Annotated[str, AfterValidator(_check_code_postal), json_schema(
    pattern=f"^{CODE_POSTAL_PATTERN}$", errorMessage="code postal : cinq chiffres entre guillemets, par exemple \"01000\"")]
CodeInsee = Annotated[str, AfterValidator(_check_code_insee), json_schema(
    pattern=f"^({CODE_INSEE_PATTERN})$",
    errorMessage="code INSEE de la commune : cinq caractères entre guillemets, \"01053\" ou \"2A004\" (pas le code postal)")]
Siret = Annotated[str, AfterValidator(_check_siret), json_schema(
    pattern=r"^ *([0-9] *){14}$", errorMessage="SIRET : 14 chiffres entre guillemets")]
Finess = Annotated[str, AfterValidator(_check_finess), json_schema(
    pattern=f"^{FINESS_PATTERN}$", errorMessage="numéro FINESS : 9 caractères entre guillemets")]
CodeEpci = Annotated[str, AfterValidator(_check_epci), json_schema(
    pattern=f"^{EPCI_PATTERN}$", errorMessage="code SIREN de l'intercommunalité : 9 chiffres entre guillemets")]


TEXT_MAX_LENGTH = 1000
"""A text field without a length of its own holds at most this (a name, a label, a sentence)."""

# Bidirectional controls can make a text read differently from what it is ("Trojan Source"); zero-width
# characters hide inside words, so that a name is no longer found by search.
_INVISIBLE = frozenset(
    "\u061c\u180e\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff"
)


HIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(_INVISIBLE)) + "]")
"""What a text may not hold: control characters (but line breaks and tabulations) and the invisible ones (one
scan, in C). The importers replace them by spaces in what they read."""


def _check_text(value: str, most: int = TEXT_MAX_LENGTH) -> str:
    if not value:
        raise _err("texte_vide", "texte vide : écrivez une valeur ou supprimez la ligne")
    if len(value) > most:
        raise _err("texte_long", "texte trop long ({n} caractères, {most} au plus) : raccourcissez-le",
                   n=len(value), most=most)
    hidden = HIDDEN_CHARACTERS.search(value)
    if hidden is not None:
        raise _err("texte_controle", "caractère invisible interdit : {where} ; effacez-le et retapez ce passage",
                   where=describe_character(value, hidden.start()))
    return value


Texte = Annotated[str, BeforeValidator(_text), AfterValidator(_check_text), json_schema(
    minLength=1, maxLength=TEXT_MAX_LENGTH,
    errorMessage="du texte est attendu ici (pas vide) ; entre guillemets s'il contient « : » ou « # »")]
"""A non-empty line of plain text (names, labels). Never interpreted as HTML."""


# ---------------------------------------------------------------------------
# URLs and domain names

URL_MAX_LENGTH = 2000
"""Characters of a web address: sitemaps and some browsers stop at 2 048; a real address is far shorter."""

# The JSON Schema's URL pattern (a superset of what _check_url accepts: blanks around are stripped first).
_URL_TAIL = r"://[^\s/?#<>\"`]+\.[^\s/?#<>\"`]+([/?#][^\s<>\"`]*)?$"

# Characters an address never holds as they are (browsers copy them percent-encoded): blanks, quotes,
# angle brackets, backslashes — a backslash is read as « / » by browsers and hides where a link goes.
_URL_FORBIDDEN = frozenset(' "<>`\\{}|^')

_SCRIPT_NAMES = {
    "CYRILLIC": "cyrillique", "GREEK": "grecque", "ARMENIAN": "arménienne", "CHEROKEE": "cherokee",
    "FULLWIDTH": "en pleine chasse", "MATHEMATICAL": "mathématique", "ARABIC": "arabe", "HEBREW": "hébraïque",
}


def _url_error(kind: str, message: str, value: str, **ctx: Any) -> PydanticCustomError:
    return _err(kind, message, value=visible(value), **ctx)


def _foreign_letter(char: str) -> str:
    """« а » (lettre cyrillique, U+0430): how a message names a letter of another script."""
    name = unicodedata.name(char, "")
    script = _SCRIPT_NAMES.get(name.split(" ")[0]) if name else None
    kind = f"lettre {script}" if script else "caractère d'un autre alphabet"
    return f"{quoted(char)} ({kind}, U+{ord(char):04X})"


def _check_label_characters(label: str) -> str | None:
    """Why a domain label is refused (a letter outside the Latin script, a symbol), or None.

    French sites use Latin letters, accented or not: a letter of another script that looks like a Latin
    one (Cyrillic « а », Greek « ο », full-width « ｅ ») is how look-alike domains deceive (Unicode's
    UTS #39 calls them mixed-script confusables). Punycode labels (« xn--… ») are read decoded."""
    if label.startswith("xn--"):
        try:
            label = idna.decode(label)
        except idna.IDNAError:
            return f"partie {quoted(label)} mal codée (« xn--… »)"
    for char in label:
        if char.isascii():
            if not (char.isalnum() or char == "-"):
                return f"caractère {quoted(char)} interdit dans un nom de domaine"
        elif not (char.isalpha() and unicodedata.name(char, "").startswith("LATIN ")):
            return f"{_foreign_letter(char)}, qui imite une lettre latine"
    return None


def check_domain(host: str, value: str, *, numeric: bool = False) -> None:
    """Refuse a domain name that cannot be a French public site's, or that imitates another one (``numeric``:
    a machine's number, an IP address, is accepted — a download address of a source may be one)."""
    host = host.removesuffix(".")  # « issuu.com. »: the root's dot, which browsers accept
    labels = host.split(".")
    if len(host) > 253 or any(not label or len(label) > 63 for label in labels) or len(labels) < 2:
        raise _url_error("domaine", "nom de domaine de « {value} » invalide : vérifiez les points et la longueur de "
                         "l'adresse (copiez-la depuis la barre du navigateur)", value)
    if labels[-1].isdigit() and numeric:
        return
    if labels[-1].isdigit():
        raise _url_error("domaine_ip", "adresse « {value} » refusée : elle désigne une machine par son numéro (adresse "
                         "IP) ; écrivez l'adresse du site avec son nom, par exemple https://www.example.org", value)
    for label in labels:
        why = _check_label_characters(label)
        if why is not None:
            raise _url_error("domaine_trompeur", "nom de domaine de « {value} » refusé : {why} ; recopiez l'adresse "
                             "depuis la barre du navigateur", value, why=why)
    try:
        if host.isascii():  # letters, digits, hyphens (checked above): only the hyphens' places remain
            if any(label.startswith("-") or label.endswith("-") for label in labels):
                raise idna.IDNAError(host)
        else:
            idna.encode(host)
    except idna.IDNAError:
        raise _url_error("domaine", "nom de domaine de « {value} » invalide (tiret au début ou à la fin d'une "
                         "partie, lettre interdite) : recopiez l'adresse depuis la barre du navigateur", value) from None


_ASCII_UNSAFE = re.compile(r"[\x00-\x20\x7f]")


def _first_unsafe(value: str, forbidden: frozenset[str]) -> int | None:
    """Where the first character an address may not hold is (invisible, control, blank, quote…)."""
    if value.isascii():  # nearly every address: one scan in C
        found = _ASCII_UNSAFE.search(value)
        candidates = [found.start()] if found else []
        candidates += [i for i in (value.find(c) for c in forbidden) if i >= 0]
        return min(candidates, default=None)
    for index, char in enumerate(value):
        if char in forbidden or unicodedata.category(char)[0] in "CZ":
            return index
    return None


def _split_url(value: str, *, https_only: bool) -> SplitResult:
    """The parts of an address whose scheme is http(s); French errors for anything else."""
    lower = value.lower()
    if https_only and lower.startswith("http://"):
        raise _url_error(
            "url_http",
            "adresse « {value} » non sécurisée : le site doit commencer par https:// "
            "(vérifiez dans votre navigateur que la version https existe)",
            value,
        )
    scheme = lower.split(":", 1)[0] if ":" in lower else ""
    if scheme and scheme not in ("http", "https") and re.fullmatch(r"[a-z][a-z0-9+.\-]*", scheme):
        raise _url_error(
            "url_schema",
            "adresse « {value} » refusée : seules les adresses web commençant par {allowed} sont acceptées ; "
            "copiez l'adresse de la page depuis la barre du navigateur",
            value,
            allowed="https://" if https_only else "https:// (ou http://)",
        )
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (a port that is not a number raises here)
    except ValueError:
        parts = None
    if parts is None or scheme not in ("http", "https") or not lower.startswith(f"{scheme}://") or not parts.hostname:
        raise _url_error(
            "url",
            "adresse web « {value} » invalide : copiez l'adresse complète depuis la barre du navigateur, "
            "par exemple https://www.example.org/page",
            value,
        )
    return parts


def _check_url(value: str, *, https_only: bool, forbidden: frozenset[str] = _URL_FORBIDDEN) -> str:
    """A web address that leads where it says. ``forbidden``: the characters refused besides invisible ones
    and blanks (a Markdown link's target may hold quotes, which the renderer escapes)."""
    if len(value) > URL_MAX_LENGTH:
        raise _url_error("url_longue", "adresse « {value} » trop longue ({n} caractères, {most} au plus) : copiez "
                         "l'adresse de la page elle-même, sans ce qui suit « ? » s'il n'est pas nécessaire",
                         value, n=len(value), most=URL_MAX_LENGTH)
    unsafe = _first_unsafe(value, forbidden)
    if unsafe is not None:
        char = value[unsafe]
        if char == " ":
            what = f"le {ordinal(unsafe + 1)} caractère de {quoted(value)} est une espace (dans une adresse : %20)"
        elif unicodedata.category(char)[0] in "CZ":
            what = describe_character(value, unsafe)
        else:
            what = f"le {ordinal(unsafe + 1)} caractère de {quoted(value)} est {quoted(char)}"
        raise _err("url_caractere", "adresse web refusée : {what}, qu'une adresse ne contient jamais telle quelle ; "
                   "copiez l'adresse depuis la barre du navigateur", what=what)
    parts = _split_url(value, https_only=https_only)
    if "@" in parts.netloc:
        raise _url_error(
            "url_identifiants",
            "adresse « {value} » refusée : ce qui précède « @ » ({before}) n'est pas le site, c'est un identifiant ; "
            "le navigateur ouvrirait {host} : recopiez l'adresse depuis la barre du navigateur",
            value,
            before=quoted(parts.netloc.rsplit("@", 1)[0]),
            host=quoted(parts.hostname),
        )
    # A website families visit has a name; a source (a download address) may be a machine's number.
    check_domain(parts.hostname or "", value, numeric=not https_only)
    return value


UrlHttps = Annotated[
    str, BeforeValidator(_stripped), AfterValidator(lambda v: _check_url(v, https_only=True)),
    json_schema(pattern=f"^\\s*[Hh][Tt][Tt][Pp][Ss]{_URL_TAIL}", maxLength=URL_MAX_LENGTH,
                errorMessage="adresse web complète commençant par https://, copiée depuis la barre du navigateur"),
]
"""A website: https only."""

UrlSource = Annotated[
    str, BeforeValidator(_stripped), AfterValidator(lambda v: _check_url(v, https_only=False)),
    json_schema(pattern=f"^\\s*[Hh][Tt][Tt][Pp][Ss]?{_URL_TAIL}", maxLength=URL_MAX_LENGTH,
                errorMessage="adresse web complète (https://…), copiée depuis la barre du navigateur"),
]
"""A source URL: http allowed, because many public sources are only served over http."""


# ---------------------------------------------------------------------------
# E-mail


@functools.lru_cache(maxsize=4096)
def _check_email(value: str) -> str:
    if len(value) > 254:  # RFC 5321's limit; checked first, the validator's work grows with the length
        raise _err("courriel", "adresse électronique « {value} » trop longue : 254 caractères au plus",
                   value=visible(value))
    hidden = next((i for i, c in enumerate(value) if unicodedata.category(c)[0] in "CZ"), None)
    if hidden is not None:
        raise _err("courriel", "adresse électronique refusée : {where} ; recopiez l'adresse",
                   where=describe_character(value, hidden))
    try:
        result = validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise _err(
            "courriel",
            "adresse électronique « {value} » invalide : elle doit ressembler à contact@example.org",
            value=visible(value),
            detail=str(exc),
        ) from None
    check_domain(result.domain, value)  # the same look-alike rule as web addresses
    return result.normalized


Courriel = Annotated[
    str, BeforeValidator(_stripped), AfterValidator(_check_email), json_schema(
        pattern=r"^\s*[^@\s]+@[^@\s]+\s*$", errorMessage="adresse électronique, par exemple contact@example.org"),
]


# ---------------------------------------------------------------------------
# Phone numbers
#
# The policy, in one place: families call these numbers from a French phone. A number is published only if
# a French phone can dial it, as it must be dialled (national form for France and its overseas
# départements, international form otherwise); premium-rate numbers (« 089 », up to 0,80 € a minute or
# 3 € a call on top of the call, ARCEP's numbering plan) are refused, surcharged ones (« 081 », « 082 »:
# a price on top of the call) get a warning (dataset rule), and only numbers the plan makes free
# (« 0800 » to « 0805 », « 30 PQ », « 31 PQ », « 116 xxx », « 11x ») are called free.

# Overseas numbers dialled as national numbers (0262…, 0590…) parse as +33 in the FR region,
# which phonenumbers then rejects; each overseas prefix belongs to its own region code.
_OVERSEAS_PREFIXES = {
    "0262": "RE", "0263": "RE", "0692": "RE", "0693": "RE",
    "0269": "YT", "0639": "YT",
    "0590": "GP", "0690": "GP", "0691": "GP",
    "0594": "GF", "0694": "GF",
    "0596": "MQ", "0696": "MQ", "0697": "MQ",
}

FRENCH_PLAN = frozenset({"FR", "GP", "BL", "MF", "GF", "MQ", "RE", "YT", "PM"})
"""Regions whose numbers a French phone dials in national form (« 0 » and nine digits, « 0508 » for SPM)."""

_ORDINARY = frozenset({PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})

PHONE_MAX_LENGTH = 40


# ARCEP reserves these ranges for fiction (films, books, tests): never assigned, so phonenumbers
# calls some of them invalid, yet the test fixtures and the example file must be able to use them.
def is_fiction(national: str) -> bool:
    """Whether a national number lies in one of ARCEP's ranges reserved for fiction."""
    return bool(re.match(r"^0(19900|26191|35301|46571|53649|63998)", national))


@dataclass(frozen=True, slots=True)
class Phone:
    """A validated phone number that a French phone can dial."""

    e164: str
    national: str  # digits as dialled from France, e.g. "0800360360", "0262123456", "00442079460958"
    display: str  # French grouping, e.g. "0 800 360 360", "02 62 12 34 56", "+44 20 7946 0958"
    free: bool  # numéro vert: free call
    international: bool = False  # a foreign number: shown and dialled with its country code
    surcharged: bool = False  # « 081 », « 082 »: the service costs on top of the call

    @property
    def tel_href(self) -> str:
        """The ``tel:`` URI: national form for the French plan (works in metropolitan France and overseas),
        the country code for a foreign number."""
        return f"tel:{self.e164}" if self.international else f"tel:{self.national}"

    def __str__(self) -> str:
        return self.display


def _display(national: str) -> str:
    if len(national) == 10 and national.startswith("08"):
        return f"{national[0]} {national[1:4]} {national[4:7]} {national[7:]}"
    if len(national) <= 4:
        return national
    if len(national) == 6 and national.startswith("116"):
        return f"{national[:3]} {national[3:]}"
    return " ".join(national[i : i + 2] for i in range(0, len(national), 2))


def _invalid_phone(raw: str) -> PydanticCustomError:
    return _err(
        "telephone",
        "numéro de téléphone « {value} » invalide : écrivez les 10 chiffres entre guillemets, "
        "par exemple \"03 53 01 23 45\" (un numéro vert : « 0 800 » puis 6 chiffres)",
        value=visible(raw),
    )


def _short_number(digits: str, raw: str) -> Phone:
    """A short number of the French plan (3977, 116 006, 119): free only where the plan says so."""
    number = phonenumbers.parse(digits, "FR")
    if not shortnumberinfo.is_valid_short_number_for_region(number, "FR"):
        raise _invalid_phone(raw)
    # 30 PQ, 31 PQ, 116 xxx and 11x are free by the plan; other « 3 BPQ » numbers are priced one by one.
    free = digits.startswith(("30", "31", "116")) or (len(digits) == 3 and digits.startswith("11"))
    return Phone(e164=digits, national=digits, display=_display(digits), free=free)


def _normalise_prefix(digits: str) -> tuple[str, str, bool]:
    """The digits to parse, their region, and whether they are one of ARCEP's fiction numbers."""
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    region = "FR"
    if digits.startswith("0508") and len(digits) == 10:  # Saint-Pierre-et-Miquelon from France
        digits = "+508" + digits[4:]
    elif digits.startswith("0") and len(digits) == 10:
        region = _OVERSEAS_PREFIXES.get(digits[:4], "FR")
    fiction = len(digits) == 10 and is_fiction(digits)
    return digits, "FR" if fiction else region, fiction


def _foreign(number: phonenumbers.PhoneNumber, raw: str) -> Phone:
    """A foreign number: only an ordinary line, which a French phone reaches with the country code."""
    if phonenumbers.number_type(number) not in _ORDINARY:
        raise _err(
            "telephone_etranger",
            "numéro « {value} » refusé : c'est un numéro spécial étranger (gratuit, surtaxé ou partagé dans son "
            "pays), qu'on ne peut souvent pas appeler depuis la France ; publiez le numéro ordinaire du service",
            value=visible(raw),
        )
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return Phone(e164=e164, national="00" + e164[1:], free=False, international=True,
                 display=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


@functools.lru_cache(maxsize=4096)
def parse_phone(raw: str) -> Phone:
    """Parse a phone number written by a contributor; raise a French error if a French phone cannot
    dial it, or if it is a premium-rate number. Cached: a switchboard number is often written many times."""
    text = raw.strip()
    if len(text) > PHONE_MAX_LENGTH:
        raise _invalid_phone(raw)
    digits = re.sub(r"[\s.\-()/]", "", text)
    if re.fullmatch(r"[1-9][0-9]{1,5}", digits):  # short numbers such as 3977, 119, 116 006
        return _short_number(digits, raw)
    digits, region, fiction = _normalise_prefix(digits)
    try:
        number = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException:
        raise _invalid_phone(raw) from None
    kind = phonenumbers.number_type(number)  # UNKNOWN for an invalid number (one pass over the patterns)
    valid = kind != PhoneNumberType.UNKNOWN or (fiction and phonenumbers.is_possible_number(number))
    if not valid:
        raise _invalid_phone(raw)
    home = phonenumbers.region_code_for_number(number)
    if home not in FRENCH_PLAN and not fiction:
        return _foreign(number, raw)
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL).replace(" ", "")
    if home == "PM" and not national.startswith("0508"):
        national = "0508" + national.lstrip("0")
    if kind == PhoneNumberType.PREMIUM_RATE:
        raise _err(
            "telephone_surtaxe",
            "numéro surtaxé « {value} » refusé : les numéros en 089 coûtent jusqu'à 0,80 € la minute ou 3 € l'appel "
            "en plus de la communication (plan de numérotation de l'ARCEP) ; publiez le numéro ordinaire du service",
            value=visible(raw),
        )
    free = kind == PhoneNumberType.TOLL_FREE or bool(re.match(r"080[0-5]", national))
    return Phone(
        e164=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        national=national,
        display=_display(national),
        free=free,
        surcharged=kind == PhoneNumberType.SHARED_COST,
    )


PHONE_PATTERN = (r"^[\s.()/\-]*(?:0(?:[\s.()/\-]*[0-9]){9}|[1-9](?:[\s.()/\-]*[0-9]){8}|[1-9](?:[\s.()/\-]*[0-9]){1,5}"
                 r"|(?:\+|00)(?:[\s.()/\-]*[0-9]){6,15})[\s.()/\-]*$")
"""What the editor accepts for a phone number: 10 digits from a 0 (9 without it), a short number (3977, 119,
116 006), or an international one; a superset of parse_phone (which also checks the number exists)."""


class _PhoneAnnotation:
    @classmethod
    def __get_pydantic_core_schema__(cls, _source: Any, _handler: Any) -> core_schema.CoreSchema:
        def validate(value: Any) -> Phone:
            if isinstance(value, Phone):
                return value
            return parse_phone(value)

        return core_schema.no_info_after_validator_function(
            validate,
            core_schema.str_schema(),
            serialization=core_schema.plain_serializer_function_ser_schema(lambda p: p.e164),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # parse_phone ignores spaces (any Unicode space), dots, dashes, brackets and slashes
        return {
            "type": "string",
            "pattern": PHONE_PATTERN,
            "errorMessage": "numéro de téléphone entre guillemets : 10 chiffres, par exemple \"03 53 01 23 45\" "
                            "(un numéro vert : \"0 800\" puis 6 chiffres)",
            "examples": ["03 53 01 23 45", "02 61 91 12 34"],
        }


Telephone = Annotated[Phone, _PhoneAnnotation]


# ---------------------------------------------------------------------------
# Opening hours (OpenStreetMap syntax, as data·inclusion's horaires_accueil)

HORAIRES_MAX_LENGTH = 300
"""Characters of an opening-hours value: a full week with holidays is about 80."""

OSM_HOURS_HELP = ("jours Mo Tu We Th Fr Sa Su, heures sur 4 chiffres 09:00-12:00, plusieurs plages séparées par "
                  "une virgule, plusieurs règles par « ; », PH off pour « fermé les jours fériés »")


# Written without a leading look-behind, so that the engine jumps from digit to digit (see _hours_nonsense).
_SPAN = re.compile(r"([0-9]{1,2}):([0-9]{2})-([0-9]{1,2}):([0-9]{2})(?![0-9:])")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
              "novembre", "décembre")
_MONTH_DAY = re.compile(r"(?:([0-9]{4}) )?(" + "|".join(_MONTHS) + r") ([0-9]{1,2})(?![0-9:])")


def _hours_nonsense(value: str) -> PydanticCustomError | None:
    """What the OpenStreetMap syntax allows but says nothing sensible (« 9h à 9h », « 10h à 48h », 30 février)."""
    for match in _SPAN.finditer(value):
        if match.start() > 0 and value[match.start() - 1] in "0123456789:":
            continue  # part of a longer number
        start = int(match.group(1)) * 60 + int(match.group(2))
        end = int(match.group(3)) * 60 + int(match.group(4))
        if start == end:
            return _err("horaires_vides", "horaires : la plage {span} finit à l'heure où elle commence ; corrigez "
                        "l'heure de début ou de fin", span=quoted(match.group(0)))
        if end > 24 * 60:
            return _err("horaires_48h", "horaires : la plage {span} finit après minuit du jour suivant ; écrivez "
                        "l'heure de fin telle qu'on la lit sur une horloge, par exemple 22:00-02:00",
                        span=quoted(match.group(0)))
    for match in _MONTH_DAY.finditer(value) if any(month in value for month in _MONTHS) else ():
        year, month, day = match.group(1), _MONTHS.index(match.group(2)) + 1, int(match.group(3))
        last = calendar.monthrange(int(year) if year else 2024, month)[1]  # 2024: a leap year, 29 February
        if not 1 <= day <= last:
            return _err("horaires_date", "horaires : la date {date} n'existe pas ({month} n'a que {last} jours"
                        "{of_year}) ; corrigez le jour", date=quoted(match.group(0)), month=_MONTHS_FR[month - 1],
                        last=last, of_year=f" en {year}" if year else "")
    return None


def _valid_hours(value: str) -> bool:
    try:
        opening_hours.OpeningHours(value)
    except BaseException as exc:  # ParserError, but a Rust panic (pyo3 PanicException) is a BaseException
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return False
    return True


def _hours_hint(value: str) -> str:
    """The exact OSM value of a French phrase, to paste; else how the syntax goes."""
    try:
        proposal = to_osm(value)
    except NotUnderstoodError:
        proposal = None
    if proposal is None or not _valid_hours(proposal):
        return (f"écrivez-les dans la syntaxe OpenStreetMap ({OSM_HOURS_HELP}), par exemple "
                "\"Mo-Fr 09:00-12:00,14:00-17:00; PH off\" (tableau « Écrire les horaires » du guide)")
    if not proposal[:2].isalpha():  # no day in the phrase: without days, OSM means every day
        return (f"écrivez-les dans la syntaxe OpenStreetMap : si c'est du lundi au vendredi, copiez "
                f"\"Mo-Fr {proposal}\" (sans jours, \"{proposal}\" voudrait dire tous les jours)")
    return f"écrivez-les dans la syntaxe OpenStreetMap : pour cette phrase, copiez \"{proposal}\""


@functools.lru_cache(maxsize=4096)
def _check_opening_hours(value: str) -> str:
    """Cached: the same hours are written for most services (errors are raised again each time)."""
    if len(value) > HORAIRES_MAX_LENGTH:
        raise _err("horaires_long", "horaires trop longs ({n} caractères, {most} au plus) : résumez-les ou mettez le "
                   "détail dans « precisions »", n=len(value), most=HORAIRES_MAX_LENGTH)
    if not _valid_hours(value):
        raise _err("horaires", "horaires « {value} » illisibles : {hint}", value=visible(value), hint=_hours_hint(value))
    nonsense = _hours_nonsense(value)
    if nonsense is not None:
        raise nonsense
    return value


def _any_case(word: str) -> str:
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else c for c in word)


_OSM_WORDS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su", "PH", "SH", "off", "closed", "open", "unknown", "week",
              "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "easter",
              "sunrise", "sunset", "dawn", "dusk", "days", "day")
HOURS_PATTERN = ("^(?:[0-9:,;+/\\s\\[\\]().|-]|" + "|".join(_any_case(w) for w in _OSM_WORDS) + '|"[^"]*")*$')
"""What the editor accepts for hours: only the words and signs of the OpenStreetMap syntax (and "comments" in
double quotes) — a superset of what opening-hours-py reads; a French phrase is underlined at once."""

Horaires = Annotated[str, BeforeValidator(_stripped), AfterValidator(_check_opening_hours), json_schema(
    pattern=HOURS_PATTERN, maxLength=HORAIRES_MAX_LENGTH,
    errorMessage="horaires dans la syntaxe OpenStreetMap : \"Mo-Fr 09:00-12:00,14:00-17:00; PH off\" (Mo Tu We Th Fr Sa "
                 "Su, heures sur 4 chiffres) ; pour une phrase en français, « make check » propose la valeur exacte "
                 "(tableau « Écrire les horaires » du guide)")]


# ---------------------------------------------------------------------------
# Markdown (rendered and sanitised later; here only size, bounded structure and obvious mistakes)

MARKDOWN_MAX_LENGTH = 5000
"""Characters of a Markdown field: a description of a few paragraphs."""


@dataclass(frozen=True)
class MarkdownLimits:
    """How much structure a Markdown text may hold, so that rendering it stays fast whatever it says.

    Python-Markdown looks for the end of every « [ » and « ( » to the end of its paragraph, and handles
    some blocks (rules, numbered lists) in time that grows with the square of their lines, and nested
    quotes and lists by recursion: a few thousand unmatched brackets took minutes, ten thousand « > »
    crashed it. These bounds keep every text far from that, and far above anything a person writes.
    """

    scan: int  # characters scanned in all to find the ends of the « [ » and « ( » of one paragraph
    lines: int  # lines in all (each list item costs the renderer a tenth of a millisecond)
    brackets: int  # « [ » in all (a link has one; counting is immediate, measuring each takes longer)
    block_lines: int  # lines of one block (lines not separated by an empty line)
    depth: int = 8  # nested quotes (« > ») and list levels
    indent: int = 40  # columns of indentation
    abbreviations: int = 100  # « *[SIGLE]: … » definitions (content pages)


FIELD_LIMITS = MarkdownLimits(scan=20_000, lines=100, brackets=200, block_lines=100)
"""A description: the longest real one has about ten lines."""

PAGE_LIMITS = MarkdownLimits(scan=200_000, lines=3_000, brackets=5_000, block_lines=200)
"""A content page: the contributor guide, the longest, has about 470 lines and blocks of 50."""


def _scan_cost(block: str, opening: str, closing: str) -> tuple[int, int]:
    """Characters Python-Markdown scans to close every ``opening`` of one block, and where the worst one is.

    Each opening bracket is followed to its matching closing one, or to the end of the block when it
    has none: the same walk the renderer does, counted in one pass."""
    cost, worst, worst_at, stack = 0, -1, 0, []
    if opening not in block:
        return 0, 0
    for found in re.finditer(re.escape(opening) + "|" + re.escape(closing), block):  # only the brackets, not every character
        index, char = found.start(), found.group()
        if char == opening:
            stack.append(index)
        elif stack:
            cost += index - stack.pop()
    for start in stack:
        cost += len(block) - start
        if len(block) - start > worst:
            worst, worst_at = len(block) - start, start
    return cost, (worst_at if worst >= 0 else 0)


def _line_structure(line: str, limits: MarkdownLimits) -> str | None:
    """Why one line nests too deep, or None."""
    prefix = len(line) - len(line.lstrip(" \t>"))
    head = line[:prefix].replace("\t", "    ")
    if head.count(">") > limits.depth:
        return f"plus de {limits.depth} niveaux de citation (« > ») imbriqués"
    if len(head.replace(">", "")) > limits.indent:
        return f"ligne décalée de plus de {limits.indent} espaces (listes trop imbriquées)"
    return None


def _block_problem(block: str, limits: MarkdownLimits) -> tuple[int, str] | None:
    """(offset in the block, why) when one block of a Markdown text is too costly to render, or None."""
    lines = block.split("\n")
    if len(lines) > limits.block_lines:
        return 0, (f"bloc de plus de {limits.block_lines} lignes sans ligne vide : séparez les paragraphes, "
                   "listes et tableaux par une ligne vide")
    offset = 0
    for line in lines:
        why = _line_structure(line, limits)
        if why is not None:
            return offset, why
        offset += len(line) + 1
    for opening, closing in (("[", "]"), ("(", ")")):
        cost, at = _scan_cost(block, opening, closing)
        if cost > limits.scan:
            return at, (f"trop de « {opening} » sans « {closing} » correspondant dans ce paragraphe : "
                        f"fermez chaque « {opening} » ou écrivez « \\{opening} » pour un « {opening} » seul")
    return None


def markdown_problem(text: str, limits: MarkdownLimits) -> tuple[int, str] | None:
    """(character offset, French message) of the first construction that would make a Markdown text slow
    to render (see ``MarkdownLimits``), or None. Linear in the text's length."""
    lines = text.count("\n") + 1
    if lines > limits.lines:
        return 0, f"{lines} lignes, {limits.lines} au plus : raccourcissez ce texte"
    brackets = text.count("[")
    if brackets > limits.brackets:
        return text.index("["), (f"{brackets} « [ », {limits.brackets} au plus : un lien en demande un ; "
                                 "écrivez « \\[ » pour un « [ » seul")
    abbreviations = len(re.findall(r"^\*\[[^\]\n]*\]:", text, flags=re.M))
    if abbreviations > limits.abbreviations:
        return 0, f"plus de {limits.abbreviations} définitions de sigles (« *[SIGLE]: … ») dans une seule page"
    offset = 0
    for block in re.split(r"(\n[ \t]*\n)", text):
        if block.strip():
            problem = _block_problem(block, limits)
            if problem is not None:
                return offset + problem[0], problem[1]
        offset += len(block)
    return None


# Raw HTML is never published (text.py escapes it and nh3 would strip it anyway); saying so here
# tells the contributor instead of silently showing their tags as text.
_RAW_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:[\s/>]|$)|<!--|<![A-Za-z\[]|<\?")
# Link targets: inline [texte](cible), autolinks <cible>, reference definitions [x]: cible.
# Bounded: a target is at most an address's length, so that many « ]( » cost a linear scan.
_LINK_TARGETS = (
    re.compile(rf"\]\(\s*<?([^>\s]{{0,{URL_MAX_LENGTH}}})"),
    re.compile(rf"<([A-Za-z][A-Za-z0-9+.\-]*:[^>\s]{{0,{URL_MAX_LENGTH}}})>"),
    re.compile(rf"^[ ]{{0,3}}\[[^\]\n]{{1,999}}\]:[ \t]*<?([^\s>]{{1,{URL_MAX_LENGTH}}})>?(?:\s|$)", re.M),
)
MARKDOWN_SCHEMES = ("https", "mailto", "tel")
"""Link schemes allowed in Markdown fields (the sanitiser in text.py uses the same list)."""


def _link_scheme(target: str) -> str | None:
    """The scheme of a link target as a browser would read it (entities decoded, blanks ignored)."""
    cleaned = re.sub(r"[\x00-\x20\x7f-\x9f]", "", html.unescape(target)).lower()
    match = re.match(r"([a-z][a-z0-9+.\-]*):", cleaned)
    return match.group(1) if match else None


def _until_closing_paren(target: str) -> str:
    """Cut an inline link target at the ")" that closes [texte](cible); balanced parentheses stay in it."""
    depth = 0
    for i, char in enumerate(target):
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return target[:i]
            depth -= 1
    return target


def check_links(value: str) -> None:
    """Every link of a Markdown text leads where it says: https (a valid, honest address), mailto or tel."""
    for pattern in _LINK_TARGETS:
        for match in pattern.finditer(value):
            target = _until_closing_paren(match.group(1))
            scheme = _link_scheme(target)
            if scheme is not None and scheme not in MARKDOWN_SCHEMES:
                advice = (
                    "remplacez http:// par https://" if scheme == "http"
                    else "seuls les liens https://, mailto: (courriel) et tel: (téléphone) sont acceptés"
                )
                raise _err("markdown_lien", "lien « {target} » refusé : {advice}", target=visible(target, 80),
                           advice=advice)
            if scheme == "https":
                _check_url(html.unescape(target), https_only=True, forbidden=frozenset())


def _check_markdown(value: str) -> str:
    if len(value) > MARKDOWN_MAX_LENGTH:
        raise _err("markdown_long", "texte trop long ({n} caractères, {most} au plus) : résumez",
                   n=len(value), most=MARKDOWN_MAX_LENGTH)
    _check_text(value, MARKDOWN_MAX_LENGTH)
    tag = _RAW_HTML.search(value)
    if tag:
        end = value.find(">", tag.start())
        shown = value[tag.start() : end + 1 if 0 <= end < tag.start() + 60 else tag.start() + 60].split("\n")[0]
        raise _err(
            "markdown_html",
            "code HTML « {tag} » interdit dans ce texte : écrivez en Markdown simple (**gras**, listes avec « - », "
            "liens [texte](https://…)) et retirez les balises « < … > »",
            tag=visible(shown),
        )
    problem = markdown_problem(value, FIELD_LIMITS)
    if problem is not None:
        line = value.count("\n", 0, problem[0]) + 1
        raise _err("markdown_structure", "texte trop compliqué à mettre en page, à sa {line} ligne : {why}",
                   line=ordinal(line).replace("1er", "1re"), why=problem[1])
    check_links(value)
    return value


Markdown = Annotated[
    str, BeforeValidator(_text), AfterValidator(_check_markdown),
    json_schema(minLength=1, maxLength=MARKDOWN_MAX_LENGTH),
]


# ---------------------------------------------------------------------------
# Paths of this site's own pages (links of the easy-read texts)

SITE_PATH_RE = re.compile(r"^/(?:[a-z0-9]+(?:-[a-z0-9]+)*/)*(?:#[a-z0-9]+(?:-[a-z0-9]+)*)?$")


def _check_site_path(value: str) -> str:
    if not SITE_PATH_RE.fullmatch(value):
        raise _err(
            "chemin_du_site",
            "adresse « {value} » invalide : écrivez l'adresse d'une page de ce site, qui commence et finit par "
            "« / », en minuscules, par exemple /glossaire/ ou /facile-a-lire/mdph/",
            value=value[:80],
        )
    return value


CheminDuSite = Annotated[str, BeforeValidator(_stripped), AfterValidator(_check_site_path), json_schema(
    pattern=SITE_PATH_RE.pattern,
    errorMessage="adresse d'une page de ce site, qui commence et finit par « / », en minuscules : /glossaire/")]
"""A page of this site, as a path from its root: « /glossaire/ », « /types/pcpe/ », « /glossaire/#mdph »."""

__all__ = [
    "DEPARTEMENT_CODES",
    "HIDDEN_CHARACTERS",
    "CheminDuSite",
    "CodeDepartement",
    "CodeEpci",
    "CodeInsee",
    "CodePostal",
    "Courriel",
    "Finess",
    "Horaires",
    "IdentifiantAsp",
    "Markdown",
    "Phone",
    "Siret",
    "Slug",
    "Telephone",
    "Texte",
    "UrlHttps",
    "UrlSource",
    "fold",
    "is_fiction",
    "parse_phone",
    "slugify",
]
