"""Value types of the data format: codes, phone numbers, URLs, e-mails, opening hours, markdown.

Each type validates and normalises one kind of value and raises a French message that says
how to fix it. They are used by the pydantic models in ``format.py``.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from typing import Annotated, Any

import opening_hours
import phonenumbers
from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BeforeValidator, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema


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
        return {**handler(schema), **self.keywords}


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
            value=value,
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
            value=value,
        )
    return value


def _check_code_postal(value: str) -> str:
    if not re.fullmatch(CODE_POSTAL_PATTERN, value):
        raise _err(
            "code_postal",
            "code postal « {value} » invalide : cinq chiffres entre guillemets, par exemple \"01000\"",
            value=value,
        )
    return value


def _check_code_insee(value: str) -> str:
    if not re.fullmatch(CODE_INSEE_PATTERN, value):
        raise _err(
            "code_insee",
            "code INSEE de commune « {value} » invalide : cinq caractères entre guillemets, par exemple "
            "\"01053\" ou \"2A004\" (ce n'est pas le code postal)",
            value=value,
        )
    return value


def _check_siret(value: str) -> str:
    digits = value.replace(" ", "")
    if not re.fullmatch(r"[0-9]{14}", digits):
        raise _err("siret", "SIRET « {value} » invalide : 14 chiffres entre guillemets", value=value)
    return digits


def _check_finess(value: str) -> str:
    if not re.fullmatch(FINESS_PATTERN, value):
        raise _err("finess", "numéro FINESS « {value} » invalide : 9 caractères entre guillemets", value=value)
    return value


def _check_epci(value: str) -> str:
    if not re.fullmatch(EPCI_PATTERN, value):
        raise _err("epci", "code SIREN d'EPCI « {value} » invalide : 9 chiffres entre guillemets", value=value)
    return value


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


Slug = Annotated[str, AfterValidator(_check_slug), json_schema(pattern=SLUG_RE.pattern, maxLength=SLUG_MAX_LENGTH)]
CodeDepartement = Annotated[str, AfterValidator(_check_departement), json_schema(enum=list(DEPARTEMENT_CODES))]
CodePostal = Annotated[str, AfterValidator(_check_code_postal), json_schema(pattern=f"^{CODE_POSTAL_PATTERN}$")]
CodeInsee = Annotated[str, AfterValidator(_check_code_insee), json_schema(pattern=f"^({CODE_INSEE_PATTERN})$")]
Siret = Annotated[str, AfterValidator(_check_siret), json_schema(pattern=r"^ *([0-9] *){14}$")]
Finess = Annotated[str, AfterValidator(_check_finess), json_schema(pattern=f"^{FINESS_PATTERN}$")]
CodeEpci = Annotated[str, AfterValidator(_check_epci), json_schema(pattern=f"^{EPCI_PATTERN}$")]


def _check_text(value: str) -> str:
    if not value:
        raise _err("texte_vide", "texte vide : écrivez une valeur ou supprimez la ligne")
    if any((ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) < 0xA0 or c in _INVISIBLE for c in value):
        raise _err(
            "texte_controle", "le texte contient un caractère de contrôle invisible : effacez ce texte et retapez-le"
        )
    return value


# Bidirectional overrides can make a text read differently from what it is ("Trojan Source").
_INVISIBLE = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")


Texte = Annotated[str, BeforeValidator(_stripped), AfterValidator(_check_text), json_schema(minLength=1)]
"""A non-empty line of plain text (names, labels). Never interpreted as HTML."""


# ---------------------------------------------------------------------------
# URLs

# The JSON Schema's URL pattern (a superset of _URL_RE: surrounding blanks are stripped before validation).
_URL_TAIL = r"://[^\s/?#<>\"'`]+\.[^\s/?#<>\"'`]+([/?#][^\s<>\"'`]*)?$"
_URL_RE = re.compile(r"^https?://[^\s/?#<>\"'`]+\.[^\s/?#<>\"'`]+(?:[/?#][^\s<>\"'`]*)?$", re.I)


def _check_url(value: str, *, https_only: bool) -> str:
    lower = value.lower()
    if https_only and lower.startswith("http://"):
        raise _err(
            "url_http",
            "adresse « {value} » non sécurisée : le site doit commencer par https:// "
            "(vérifiez dans votre navigateur que la version https existe)",
            value=value,
        )
    if not _URL_RE.match(value):
        scheme = lower.split(":", 1)[0] if ":" in lower else ""
        if scheme and scheme not in ("http", "https"):
            raise _err(
                "url_schema",
                "adresse « {value} » refusée : seules les adresses web commençant par {allowed} sont acceptées ; "
                "copiez l'adresse de la page depuis la barre du navigateur",
                value=value,
                allowed="https://" if https_only else "https:// (ou http://)",
            )
        raise _err(
            "url",
            "adresse web « {value} » invalide : copiez l'adresse complète depuis la barre du navigateur, "
            "par exemple https://www.example.org/page",
            value=value,
        )
    return value


UrlHttps = Annotated[
    str, BeforeValidator(_stripped), AfterValidator(lambda v: _check_url(v, https_only=True)),
    json_schema(pattern=f"^\\s*[Hh][Tt][Tt][Pp][Ss]{_URL_TAIL}"),
]
"""A website: https only."""

UrlSource = Annotated[
    str, BeforeValidator(_stripped), AfterValidator(lambda v: _check_url(v, https_only=False)),
    json_schema(pattern=f"^\\s*[Hh][Tt][Tt][Pp][Ss]?{_URL_TAIL}"),
]
"""A source URL: http allowed, because many public sources are only served over http."""


# ---------------------------------------------------------------------------
# E-mail


def _check_email(value: str) -> str:
    try:
        result = validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise _err(
            "courriel",
            "adresse électronique « {value} » invalide : elle doit ressembler à contact@example.org",
            value=value,
            detail=str(exc),
        ) from None
    return result.normalized


Courriel = Annotated[
    str, BeforeValidator(_stripped), AfterValidator(_check_email), json_schema(pattern=r"^\s*[^@\s]+@[^@\s]+\s*$"),
]


# ---------------------------------------------------------------------------
# Phone numbers

# Overseas numbers dialled as national numbers (0262…, 0590…) parse as +33 in the FR region,
# which phonenumbers then rejects; each overseas prefix belongs to its own region code.
_OVERSEAS_PREFIXES = {
    "0262": "RE", "0263": "RE", "0692": "RE", "0693": "RE",
    "0269": "YT", "0639": "YT",
    "0590": "GP", "0690": "GP", "0691": "GP",
    "0594": "GF", "0694": "GF",
    "0596": "MQ", "0696": "MQ", "0697": "MQ",
}

# ARCEP reserves these ranges for fiction (films, books, tests): never assigned, so phonenumbers
# calls some of them invalid, yet the test fixtures and the example file must be able to use them.
def is_fiction(national: str) -> bool:
    """Whether a national number lies in one of ARCEP's ranges reserved for fiction."""
    return bool(re.match(r"^0(19900|26191|35301|46571|53649|63998)", national))


@dataclass(frozen=True, slots=True)
class Phone:
    """A validated French phone number."""

    e164: str
    national: str  # digits as dialled in France, e.g. "0800360360" or "0262123456"
    display: str  # French grouping, e.g. "0 800 360 360", "02 62 12 34 56"
    free: bool  # numéro vert: free call

    @property
    def tel_href(self) -> str:
        """The ``tel:`` URI; national form, which works in metropolitan France and overseas."""
        return f"tel:{self.national}" if self.national.isdigit() else f"tel:{self.e164}"

    def __str__(self) -> str:
        return self.display


def _display(national: str) -> str:
    if len(national) == 10 and national.startswith("08"):
        return f"{national[0]} {national[1:4]} {national[4:7]} {national[7:]}"
    if len(national) == 4 and national.startswith("3"):
        return national
    return " ".join(national[i : i + 2] for i in range(0, len(national), 2))


def parse_phone(raw: str) -> Phone:
    """Parse a phone number written by a contributor; raise a French error if it is not valid."""
    text = raw.strip()
    digits = re.sub(r"[\s.\-()/]", "", text)
    if re.fullmatch(r"3\d{3}", digits):  # short numbers such as 3977
        return Phone(e164=digits, national=digits, display=digits, free=True)
    if digits.startswith("0033"):
        digits = "+33" + digits[4:]
    region = "FR"
    if digits.startswith("0508") and len(digits) == 10:  # Saint-Pierre-et-Miquelon from France
        digits = "+508" + digits[4:]
    elif digits.startswith("0") and len(digits) == 10:
        region = _OVERSEAS_PREFIXES.get(digits[:4], "FR")
    fiction = len(digits) == 10 and is_fiction(digits)
    try:
        number = phonenumbers.parse(digits, "FR" if fiction else region)
    except phonenumbers.NumberParseException:
        number = None
    valid = number is not None and (
        phonenumbers.is_valid_number(number) or (fiction and phonenumbers.is_possible_number(number))
    )
    if number is None or not valid:
        raise _err(
            "telephone",
            "numéro de téléphone « {value} » invalide : écrivez les 10 chiffres entre guillemets, "
            "par exemple \"03 53 01 23 45\" (un numéro vert : « 0 800 » puis 6 chiffres)",
            value=raw,
        )
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL).replace(" ", "")
    if phonenumbers.region_code_for_number(number) == "PM" and not national.startswith("0508"):
        national = "0508" + national.lstrip("0")
    kind = phonenumbers.number_type(number)
    free = kind == phonenumbers.PhoneNumberType.TOLL_FREE or bool(re.match(r"080[0-5]", national))
    return Phone(
        e164=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        national=national,
        display=_display(national),
        free=free,
    )


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
            "pattern": r"^[0-9+\s.()/\-]{4,30}$",
            "examples": ["03 53 01 23 45", "02 61 91 12 34"],
        }


Telephone = Annotated[Phone, _PhoneAnnotation]


# ---------------------------------------------------------------------------
# Opening hours (OpenStreetMap syntax, as data·inclusion's horaires_accueil)


def _check_opening_hours(value: str) -> str:
    try:
        opening_hours.OpeningHours(value)
    except BaseException as exc:  # ParserError, but a Rust panic (pyo3 PanicException) is a BaseException
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        detail = str(exc).strip().splitlines()
        raise _err(
            "horaires",
            "horaires « {value} » illisibles : utilisez la syntaxe OpenStreetMap, par exemple "
            "\"Mo-Fr 09:00-12:00,14:00-17:00; PH off\" (lundi à vendredi, fermé les jours fériés)",
            value=value,
            detail=" ".join(line.strip() for line in detail[:3]),
        ) from None
    return value


Horaires = Annotated[str, BeforeValidator(_stripped), AfterValidator(_check_opening_hours)]


# ---------------------------------------------------------------------------
# Markdown (rendered and sanitised later; here only size and obvious mistakes)


# Raw HTML is never published (text.py escapes it and nh3 would strip it anyway); saying so here
# tells the contributor instead of silently showing their tags as text.
_RAW_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:[\s/>]|$)|<!--|<![A-Za-z\[]|<\?")
# Link targets: inline [texte](cible), autolinks <cible>, reference definitions [x]: cible.
_LINK_TARGETS = (
    re.compile(r"\]\(\s*<?([^>\s]*)"),
    re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]*:[^>\s]*)>"),
    re.compile(r"^[ ]{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M),
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


def _check_markdown(value: str) -> str:
    if len(value) > 5000:
        raise _err("markdown_long", "texte trop long ({n} caractères, 5000 au plus) : résumez", n=len(value))
    tag = _RAW_HTML.search(value)
    if tag:
        end = value.find(">", tag.start())
        shown = value[tag.start() : end + 1 if 0 <= end < tag.start() + 60 else tag.start() + 60].split("\n")[0]
        raise _err(
            "markdown_html",
            "code HTML « {tag} » interdit dans ce texte : écrivez en Markdown simple (**gras**, listes avec « - », "
            "liens [texte](https://…)) et retirez les balises « < … > »",
            tag=shown,
        )
    for pattern in _LINK_TARGETS:
        for match in pattern.finditer(value):
            target = _until_closing_paren(match.group(1))
            scheme = _link_scheme(target)
            if scheme is not None and scheme not in MARKDOWN_SCHEMES:
                advice = (
                    "remplacez http:// par https://" if scheme == "http"
                    else "seuls les liens https://, mailto: (courriel) et tel: (téléphone) sont acceptés"
                )
                raise _err(
                    "markdown_lien",
                    "lien « {target} » refusé : {advice}",
                    target=target[:80],
                    advice=advice,
                )
    return value


Markdown = Annotated[
    str, BeforeValidator(_stripped), AfterValidator(_check_text), AfterValidator(_check_markdown),
    json_schema(minLength=1, maxLength=5000),
]

__all__ = [
    "DEPARTEMENT_CODES",
    "CodeDepartement",
    "CodeEpci",
    "CodeInsee",
    "CodePostal",
    "Courriel",
    "Finess",
    "Horaires",
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
