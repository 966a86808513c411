#!/usr/bin/env python3
"""Peer benchmark: our build against Hugo building the equivalent site from the same synthetic data.

    .venv/bin/python bench/peer_hugo.py                    # 5k structures, 5 alternated pairs, no index
    .venv/bin/python bench/peer_hugo.py --size 50k --pairs 3
    .venv/bin/python bench/peer_hugo.py --index            # also: ours with its index vs Hugo + Pagefind

The Hugo site is generated from the validated data (the same numbers, texts and Markdown): a page per
structure with its contacts table, public, provenance and Markdown description; a list page per
département, per type and per région (Hugo taxonomies, cards grouped like ours); a home page listing the
départements by région. Both run cold (empty output folder), alternately, as command lines; the script
prints each time, the medians and the ratio. Hugo from Debian's ``hugo`` package; skipped with a message
where it is absent. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import FIXED_TODAY, measure, settings_for  # noqa: E402
from bench.synthetic import size, synthetic  # noqa: E402

EPOCH = "1748736000"  # FIXED_TODAY (2025-06-01) as SOURCE_DATE_EPOCH: no « vérifié il y a plus d'un an » warnings

CONFIG = """baseURL = "https://annuaire.example.org/"
languageCode = "fr"
title = "Annuaire des communautés 360 (pair Hugo)"
disableKinds = ["RSS", "robotsTXT"]
[taxonomies]
  departement = "departements"
  type = "types"
  region = "regions"
[markup.goldmark.renderer]
  unsafe = false
"""

BASEOF = """<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} — {{ site.Title }}</title>
<link rel="stylesheet" href="/static/style.css">
</head>
<body>
<a class="lien-evitement" href="#contenu">Aller au contenu</a>
<header class="entete"><div class="largeur"><p><a href="/">{{ site.Title }}</a></p>
<p><a href="/recherche/">Rechercher</a></p>
<p class="numero">Besoin d'aide ? Appelez le <a href="tel:0800360360">0 800 360 360</a> appel gratuit</p></div></header>
<nav class="fil largeur" aria-label="Fil d'Ariane"><ol><li><a href="/">Accueil</a></li><li aria-current="page">{{ .Title }}</li></ol></nav>
<main id="contenu" class="largeur">{{ block "main" . }}{{ end }}</main>
<footer class="pied"><div class="largeur"><nav aria-label="Pied de page"><ul>
<li><a href="/accessibilite/">Déclaration d'accessibilité</a></li><li><a href="/mentions-legales/">Mentions légales</a></li>
<li><a href="/contribuer/">Contribuer à l'annuaire</a></li><li><a href="/donnees/">Données ouvertes</a></li>
<li><a href="/a-propos/">À propos</a></li><li><a href="/glossaire/">Glossaire</a></li></ul></nav>
<p>Besoin d'aide ? Appelez le <a href="tel:0800360360">0 800 360 360</a> (appel gratuit).</p>
<p>Page imprimée depuis {{ .Permalink }}</p></div></footer>
</body>
</html>
"""

ROW = '<div class="resume__ligne"><dt>{label}</dt><dd>{value}</dd></div>'

SINGLE = """{{ define "main" }}{{ $p := .Params }}
<h1 data-pagefind-body>{{ .Title }}</h1>
<p class="type" data-pagefind-body>{{ $p.type_libelle }}</p>
<section><h2>Qu'est-ce que c'est ?</h2><p>{{ $p.type_explication }} <a href="/glossaire/">En savoir plus dans le glossaire</a></p>
{{ with .Content }}<div data-pagefind-body>{{ . }}</div>{{ end }}</section>
<section><h2>Pour qui ?</h2><dl class="resume">
""" + ROW.format(label="Âge", value="{{ $p.age }}") + ROW.format(label="Situations", value="{{ delimit $p.situations \", \" }}") + """
</dl></section>
<section><h2>Faut-il passer par la MDPH ?</h2><dl class="resume">
""" + ROW.format(label="Notification MDPH", value="{{ $p.notification }}") + ROW.format(label="Comment y accéder", value="{{ $p.acces }}") + """
</dl></section>
<section><h2>Contacter</h2>
{{ range $p.contacts }}{{ partial "contact.html" . }}{{ else }}<p>Pas de contact publié.</p>{{ end }}
{{ with $p.adresse }}<h3>Sur place</h3><dl class="resume">""" + ROW.format(label="Adresse", value="<address>{{ . }}</address>") + """</dl>{{ end }}
</section>
<section><h2>Territoire et communauté 360</h2><dl class="resume">
""" + ROW.format(label="Territoire couvert", value="{{ $p.territoire }}") + ROW.format(
    label="Pages des départements",
    value='<ul class="en-ligne">{{ range $p.departements }}<li><a href="{{ (print "/departements/" (urlize .) "/") }}">{{ . }}</a></li>{{ end }}</ul>',
) + """
</dl></section>
<section class="provenance"><h2>D'où viennent ces informations</h2>
{{ with $p.verifie_le }}<p><strong>Vérifié le {{ . }}</strong> auprès du service.</p>{{ else }}<p><strong>Pas encore vérifié auprès du service.</strong></p>{{ end }}
<h3>Sources</h3><ul>{{ range $p.sources }}<li><a href="{{ .url }}">{{ .url }}</a>, consulté le {{ .consulte_le }}</li>{{ end }}</ul>
<p class="signaler"><a href="{{ $p.report }}">Signaler une erreur sur cette page</a>.</p>
<p><a href="{{ $p.edit }}">Modifier le fichier de données</a> ({{ $p.source }}).</p>
</section>
{{ end }}
"""

CONTACT = """<div class="contact"><h3 class="contact__libelle">{{ .libelle }}</h3><dl class="resume">
{{ with .telephone }}""" + ROW.format(label="Téléphone", value='<a class="tel" href="tel:{{ .tel }}">{{ .display }}</a>') + """{{ end }}
{{ with .courriel }}""" + ROW.format(label="Courriel", value='<a href="mailto:{{ . }}">{{ . }}</a>') + """{{ end }}
{{ with .horaires }}""" + ROW.format(label="Horaires", value="{{ . }}") + """{{ end }}
</dl></div>
"""

CARD = """<article class="carte"><h3 class="carte__titre"><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3>
<p class="carte__lieu">{{ .Params.type_libelle }}{{ with .Params.commune }} — {{ . }}{{ end }}</p>
{{ with .Params.premier_telephone }}<p>{{ .libelle }} : <a class="tel" href="tel:{{ .tel }}">{{ .display }}</a></p>{{ end }}
<p class="carte__public">{{ .Params.notification }}</p></article>
"""

# Département, type and région pages: the cards, grouped (by type on a département page, by département
# on a type or région page), as our pages group them.
TERM = """{{ define "main" }}<h1 data-pagefind-body>{{ .Title }}</h1>
{{ $by := cond (eq .Data.Plural "departements") "type_libelle" "departement_principal" }}
{{ range (.Pages.GroupByParam $by) }}<section><h2>{{ .Key }}</h2>
{{ range .Pages.ByTitle }}{{ partial "card.html" . }}{{ end }}</section>{{ end }}
{{ end }}
"""

HOME = """{{ define "main" }}<h1>Annuaire</h1>
{{ range site.Taxonomies.regions.Alphabetical }}<h2><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a></h2>{{ end }}
<ul>{{ range site.Taxonomies.departements.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a></li>{{ end }}</ul>
{{ end }}
"""

LIST = """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
"""


def _age(public: object) -> str:
    low, high = getattr(public, "age_min", None), getattr(public, "age_max", None)
    if low is not None and high is not None:
        return f"de {low} à {high} ans"
    if low is not None:
        return f"à partir de {low} ans"
    return "tous les âges, ou non précisé"


def hugo_site(data: Path, target: Path) -> int:
    """Write the Hugo site equivalent to our build of ``data``; return its number of structures."""
    from annuaire360.diagnostics import Report
    from annuaire360.format import ACCES, NOTIFICATIONS, SITUATIONS
    from annuaire360.pipeline import check
    from annuaire360.site.links import Links
    from annuaire360.site.model import build_model

    dataset = check(settings_for(data, today=FIXED_TODAY), Report())
    if dataset is None:
        sys.exit(f"{data}: les données ne sont pas valides (build.py check --data {data})")
    annuaire = build_model(dataset)
    links = Links(annuaire.site)
    layouts = target / "layouts"
    for path, text in {"_default/baseof.html": BASEOF, "_default/single.html": SINGLE, "_default/term.html": TERM,
                       "_default/list.html": LIST, "_default/taxonomy.html": LIST, "index.html": HOME,
                       "partials/contact.html": CONTACT, "partials/card.html": CARD}.items():
        (layouts / path).parent.mkdir(parents=True, exist_ok=True)
        (layouts / path).write_text(text, encoding="utf-8")
    (target / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    folder = target / "content" / "structures"
    folder.mkdir(parents=True)
    # The section's own list of every structure has no equivalent in our site: not rendered.
    (folder / "_index.md").write_text('{"title": "Structures", "_build": {"render": "never"}}\n', encoding="utf-8")
    for view in annuaire.structures.values():
        s = view.data
        contacts = [
            {"libelle": c.libelle, "courriel": c.courriel, "horaires": c.horaires,
             "telephone": {"tel": c.telephone.national, "display": c.telephone.display} if c.telephone else None}
            for c in s.contacts
        ]
        first = next(({"libelle": c["libelle"], **c["telephone"]} for c in contacts if c["telephone"]), None)
        departements = [d.label for d in view.departements]
        front = {
            "title": s.nom, "url": view.url, "type_libelle": view.type.libelle, "type_explication": view.type.explication,
            "age": _age(s.public), "situations": [SITUATIONS[c] for c in s.public.situations] or ["non précisé"],
            "notification": NOTIFICATIONS[s.notification_mdph], "acces": ACCES[s.acces], "contacts": contacts,
            "premier_telephone": first, "commune": s.commune,
            "adresse": f"{s.adresse}, {s.code_postal} {s.commune}" if s.adresse else None,
            "territoire": view.scope_label, "departements": departements,
            "departement_principal": departements[0] if departements else "Toute la France",
            "regions": sorted({d.region.info.nom for d in view.departements}), "types": [view.type.libelle],
            "verifie_le": s.verifie_le.isoformat() if s.verifie_le else None,
            "sources": [{"url": src.url, "consulte_le": src.consulte_le.isoformat()} for src in s.sources],
            "report": links.report(s.nom, view.url, view.source_file), "edit": links.edit(view.source_file),
            "source": view.source_file,
        }
        (folder / f"{s.id}.md").write_text(json.dumps(front, ensure_ascii=False) + "\n\n" + (s.description or "") + "\n",
                                           encoding="utf-8")
    return len(annuaire.structures)


def run(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall and CPU time of a command."""
    elapsed, _, _, cpu = measure(command, env)
    return elapsed, cpu


def count_files(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="5k", help="structures: 5k, 15k, 50k or a number (default 5k)")
    parser.add_argument("--pairs", type=int, default=5, help="alternated runs of each (default 5)")
    parser.add_argument("--index", action="store_true", help="also time both with their search index")
    parser.add_argument("--dossier", type=Path, default=None, help="working folder (default /tmp; /dev/shm: no disk)")
    args = parser.parse_args()
    hugo = shutil.which("hugo")
    if hugo is None:
        print("Hugo est absent : comparaison sautée (sudo apt-get install --no-install-recommends hugo).")
        return 0
    version = subprocess.run([hugo, "version"], capture_output=True, text=True, check=False).stdout.strip()
    with tempfile.TemporaryDirectory(dir=args.dossier) as tmp:
        work = Path(tmp)
        count = synthetic(work / "data", size(args.size))
        hugo_count = hugo_site(work / "data", work / "hugo")
        env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
        ours = [sys.executable, str(ROOT / "build.py"), "build", "--data", str(work / "data"), "--out", str(work / "site")]
        theirs = [hugo, "--quiet", "--source", str(work / "hugo"), "--destination", str(work / "public")]
        pagefind = [sys.executable, "-m", "pagefind_bin", "--site", str(work / "public"), "--force-language", "fr", "--quiet"]
        modes = [("sans index", ["--sans-index"], False)] + ([("avec index", [], True)] if args.index else [])
        print(f"{count} structures ({hugo_count} pages de structures côté Hugo) ; {version}")
        print(f"charge de la machine : {os.getloadavg()[0]:.1f} pour {os.cpu_count()} cœurs")
        for label, extra, indexed in modes:
            times: dict[str, list[float]] = {"nous": [], "hugo": []}
            cpu: dict[str, list[float]] = {"nous": [], "hugo": []}
            for _ in range(args.pairs):
                for folder in ("site", "public"):
                    shutil.rmtree(work / folder, ignore_errors=True)
                for name, steps in (("nous", [(ours + extra, env)]),
                                    ("hugo", [(theirs, None)] + ([(pagefind, None)] if indexed else []))):
                    measured = [run(command, environment) for command, environment in steps]
                    times[name].append(sum(wall for wall, _ in measured))
                    cpu[name].append(sum(used for _, used in measured))
            ours_median, hugo_median = statistics.median(times["nous"]), statistics.median(times["hugo"])
            peer = "Hugo + Pagefind" if indexed else "Hugo"
            print(f"{label} : nous {ours_median:.2f} s (" + ", ".join(f"{t:.2f}" for t in times["nous"]) + ") ; "
                  f"{peer} {hugo_median:.2f} s (" + ", ".join(f"{t:.2f}" for t in times["hugo"]) + ") ; "
                  f"rapport {ours_median / hugo_median:.2f} × (médianes de {args.pairs} paires alternées)")
            print(f"    temps processeur : nous {statistics.median(cpu['nous']):.2f} s, {peer} "
                  f"{statistics.median(cpu['hugo']):.2f} s")
        for name, folder in (("nous", work / "site"), ("Hugo", work / "public")):
            files, total = count_files(folder)
            print(f"site {name} : {files} fichiers, {total / 1e6:.1f} Mo")
    return 0


if __name__ == "__main__":
    sys.exit(main())
