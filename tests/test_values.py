"""Value types: phone numbers, e-mails, URLs, opening hours and codes."""

import pytest
from pydantic import TypeAdapter, ValidationError

from annuaire360.format import values as v


@pytest.mark.parametrize(
    ("written", "display", "href", "free"),
    [
        ("0 800 360 360", "0 800 360 360", "tel:0800360360", True),
        ("0800360360", "0 800 360 360", "tel:0800360360", True),
        ("08 00 360 360", "0 800 360 360", "tel:0800360360", True),
        ("0.800.360.360", "0 800 360 360", "tel:0800360360", True),
        ("03 53 01 23 45", "03 53 01 23 45", "tel:0353012345", False),
        ("+33 3 53 01 23 45", "03 53 01 23 45", "tel:0353012345", False),
        ("0033 1 99 00 12 34", "01 99 00 12 34", "tel:0199001234", False),
        ("06 39 98 12 34", "06 39 98 12 34", "tel:0639981234", False),
        ("02 62 41 12 34", "02 62 41 12 34", "tel:0262411234", False),  # La Réunion
        ("+262 262 41 12 34", "02 62 41 12 34", "tel:0262411234", False),
        ("0269 61 12 34", "02 69 61 12 34", "tel:0269611234", False),  # Mayotte
        ("0590 81 12 34", "05 90 81 12 34", "tel:0590811234", False),  # Guadeloupe
        ("0596 50 12 34", "05 96 50 12 34", "tel:0596501234", False),  # Martinique
        ("0594 29 12 34", "05 94 29 12 34", "tel:0594291234", False),  # Guyane
    ],
)
def test_phone_numbers_are_normalised_and_grouped_in_the_french_way(written, display, href, free):
    phone = v.parse_phone(written)
    assert (phone.display, phone.tel_href, phone.free) == (display, href, free)


def test_overseas_numbers_keep_their_own_country_code():
    assert v.parse_phone("02 62 41 12 34").e164 == "+262262411234"
    assert v.parse_phone("0596 50 12 34").e164 == "+596596501234"
    assert v.parse_phone("0508 41 23 45").e164 == "+508412345"


@pytest.mark.parametrize("written", ["03 53 01 23", "12345", "0 800 360 36", "téléphone", "+44 20"])
def test_invalid_phone_numbers_get_a_french_message(written):
    with pytest.raises(Exception, match=r"numéro de téléphone .* invalide"):
        v.parse_phone(written)


def _check(annotation, value):
    return TypeAdapter(annotation).validate_python(value)


def test_email_is_validated_without_dns():
    assert _check(v.Courriel, "Contact@Example.org") == "Contact@example.org"
    with pytest.raises(ValidationError, match="adresse électronique"):
        _check(v.Courriel, "contact@")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "vbscript:x", "ftp://example.org"])
def test_only_web_addresses_are_accepted(url):
    with pytest.raises(ValidationError, match="https://"):
        _check(v.UrlHttps, url)


def test_websites_must_use_https_but_sources_may_use_http():
    with pytest.raises(ValidationError, match="non sécurisée"):
        _check(v.UrlHttps, "http://www.example.org")
    assert _check(v.UrlSource, "http://www.example.org/page") == "http://www.example.org/page"


def test_opening_hours_use_the_openstreetmap_syntax():
    assert _check(v.Horaires, "Mo-Fr 09:00-12:00,14:00-17:00; PH off")
    with pytest.raises(ValidationError, match="OpenStreetMap"):
        _check(v.Horaires, "du lundi au vendredi")


@pytest.mark.parametrize("code", ["01", "09", "2A", "2B", "95", "971", "976"])
def test_the_101_departement_codes(code):
    assert _check(v.CodeDepartement, code) == code


@pytest.mark.parametrize("code", ["1", "20", "96", "975", "977", "2a", "100"])
def test_unknown_departement_codes_are_refused(code):
    with pytest.raises(ValidationError, match="code de département"):
        _check(v.CodeDepartement, code)


def test_there_are_exactly_101_departements():
    assert len(v.DEPARTEMENT_CODES) == len(set(v.DEPARTEMENT_CODES)) == 101


@pytest.mark.parametrize("slug", ["a", "pcpe-80", "mdph-2a"])
def test_good_ids(slug):
    assert _check(v.Slug, slug) == slug


@pytest.mark.parametrize("slug", ["MDPH", "mdph--ain", "mdph/ain", "../index", "mdph ain", "café", "-a", "a-"])
def test_bad_ids_are_refused(slug):
    with pytest.raises(ValidationError, match="identifiant"):
        _check(v.Slug, slug)
