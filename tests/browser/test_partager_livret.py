"""« Partager » without and with JavaScript, « Ajouter à mes contacts », and the booklet printed to an A4 PDF
by Chromium."""

from __future__ import annotations

import io
import unicodedata
import urllib.parse

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.browser

FICHE = "/structures/mdph-nord-fictive/"
ADDRESS = "https://annuaire.example.org" + FICHE


def test_share_block_works_without_javascript(no_js_page, site_url):
    page = no_js_page
    page.goto(site_url + FICHE)
    mail = page.get_by_role("link", name="Par courriel : MDPH du Nord (fictive)").get_attribute("href")
    sms = page.get_by_role("link", name="Par SMS : MDPH du Nord (fictive)").get_attribute("href")
    body = urllib.parse.parse_qs(urllib.parse.urlsplit(mail).query)["body"][0]
    assert body.startswith("Bonjour, voici une page utile") and body.endswith(ADDRESS)
    assert sms.startswith("sms:?body=") and urllib.parse.unquote(sms).endswith(ADDRESS)
    assert page.get_by_label("Adresse de la page, à copier :").input_value() == ADDRESS
    assert not page.get_by_role("button", name="Copier l'adresse").is_visible()


def test_share_sheet_and_copy_button_where_the_browser_has_them(browser, site_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        # A share sheet to watch: headless Chromium has none of its own.
        page.add_init_script("window.__shared = []; navigator.share = (data) => { window.__shared.push(data); return Promise.resolve(); };")
        page.goto(site_url + FICHE)
        page.get_by_role("button", name="Partager avec une application").click()
        assert page.evaluate("window.__shared") == [{"title": "MDPH du Nord (fictive)", "url": ADDRESS,
                                                     "text": page.locator(".partager").get_attribute("data-texte")}]
        page.get_by_role("button", name="Copier l'adresse").click()
        page.get_by_role("status").filter(has_text="Adresse copiée.").wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == ADDRESS
    finally:
        context.close()


def test_add_to_contacts_links_to_the_card(no_js_page, site_url):
    page = no_js_page
    page.goto(site_url + FICHE)
    link = page.get_by_role("link", name="Ajouter à mes contacts : MDPH du Nord (fictive)")
    assert (link.get_attribute("type"), link.get_attribute("download")) == ("text/vcard", "mdph-nord-fictive.vcf")
    response = page.request.get(site_url + link.get_attribute("href"))
    assert response.ok and response.body().startswith(b"BEGIN:VCARD\r\nVERSION:4.0\r\n")
    page.goto(site_url + "/departements/59-nord/")
    national = page.get_by_role("link", name="Ajouter le numéro à mes contacts")
    assert page.request.get(site_url + national.get_attribute("href")).body().count(b"tel:+33800360360") == 1


def test_booklet_prints_on_a4_with_the_number_services_and_qr_code(page, site_url, tmp_path):
    page.goto(site_url + "/departements/59-nord/livret/")
    qr = page.get_by_role("img", name="QR code : adresse de la page Nord (59) (https://annuaire.example.org/departements/59-nord/)")
    assert qr.evaluate("e => e.tagName") == "svg" and qr.bounding_box()["width"] > 60
    page.emulate_media(media="print")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (tmp_path / "livret.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    # NFKC: the PDF writes ligatures (« ﬁ »); lines joined as words
    text = " ".join(unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in reader.pages)).split())
    for expected in ("0 800 360 360", "Communauté 360 du Nord (fictive)", "MDPH du Nord (fictive)", "03 53 01 00 00",
                     "PCPE fictif de Lille", "Centre ressources autisme fictif", "du lundi au vendredi"):
        assert expected in text, expected
    # links that do nothing on paper are not printed (sharing, the search link of the header)
    assert "Partager cette page" not in text and "Rechercher" not in text and len(reader.pages) <= 2
