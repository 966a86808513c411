// Search page: our own accessible interface on Pagefind's JavaScript API (no inline script; the CSP
// needs script-src 'self' 'wasm-unsafe-eval' and worker-src 'self' blob:).
// Without JavaScript the form is hidden (sans-js.css) and the page points to the pages that need none.
// With it, ?q=…&departement=93 in the address runs the search, and the address follows the search.
//
// Where the family lives comes first: a département chosen (or a postal code, a commune, a département
// typed in the box) scopes the search, and its own pages come before the regional and national ones.
// What the family needs comes first too: a word of data/mots.yaml (/static/mots.json) proposes the page
// of that need in the département at once, before the search index has loaded.

import { getIndex, lookup, normalize, postcodeIn, departementCode } from "./lieux.js";

const PAGE_SIZE = 5; // results shown at once: few, so that a family is not overwhelmed and each query stays light
const DEBOUNCE_MS = 300;
// Searching as you type starts at the third character: "a" or "au" would announce dozens of results
// that mean nothing, and download the index of every word they begin. Enter searches any word.
const MIN_CHARS = 3;
const TOUTE_LA_FRANCE = "Toute la France";

const form = document.querySelector("form[data-recherche]");
const input = form.querySelector("input[name=q]");
const filtersBox = form.querySelector("[data-filtres]");
const selects = [...form.querySelectorAll("select[data-filtre]")];
const placeSelect = form.querySelector("select[data-filtre=departement]");
const placeBox = document.getElementById("recherche-lieu");
const status = document.getElementById("recherche-statut");
const list = document.getElementById("recherche-resultats");
const more = document.getElementById("recherche-plus");
const none = document.getElementById("recherche-aucun");

// The site's base path ("/" or "/annuaire/"), written on <html> by the build: the site may live in a sub-folder.
const BASE = document.documentElement.dataset.base || "/";

let pagefindPromise = null;
let wordsPromise = null;
let sequence = 0;
let current = { items: [], shown: 0 };
let timer = null;

function pagefind() {
  if (!pagefindPromise) {
    pagefindPromise = import(`${BASE}pagefind/pagefind.js`).then(async (module) => {
      await module.options({ excerptLength: 24 });
      module.init();
      return module;
    });
  }
  return pagefindPromise;
}

// The families' words that name a need (data/mots.yaml): {mots: {word: [need codes]}, besoins: {code: label}}.
function familyWords() {
  if (!wordsPromise) {
    wordsPromise = fetch(`${BASE}static/mots.json`).then((r) => (r.ok ? r.json() : null)).catch(() => null);
  }
  return wordsPromise;
}

// The needs a query names, in the order its words come ("école" → ecole; "plus de solution" → crise).
async function needsIn(term) {
  const words = await familyWords();
  if (!words) return [];
  const tokens = normalize(term).split(" ").filter(Boolean);
  const found = [];
  for (let i = 0; i < tokens.length; i++) {
    for (let n = Math.min(4, tokens.length - i); n >= 1; n--) {
      const codes = words.mots[tokens.slice(i, i + n).join(" ")];
      if (codes) {
        for (const code of codes) if (!found.includes(code)) found.push(code);
        break;
      }
    }
  }
  return found.map((code) => ({ code, label: words.besoins[code] }));
}

// ---------------------------------------------------------------------------------------------------
// The place: the département chosen in the filter, its page and what the page says about it.

function placeOption() {
  return placeSelect && placeSelect.value ? placeSelect.selectedOptions[0] : null;
}

function place() {
  const option = placeOption();
  if (!option) return null;
  const d = option.dataset;
  return { code: option.value, label: d.valeur, url: d.url, nom: d.nom, de: d.de, mdph: d.mdph, mdphNom: d.mdphNom };
}

function setPlace(code) {
  if (!placeSelect) return;
  placeSelect.value = code && [...placeSelect.options].some((o) => o.value === code) ? code : "";
}

function showPlace(from) {
  const here = place();
  placeBox.replaceChildren();
  placeBox.hidden = !here;
  if (!here) return;
  placeBox.append(`Dans le département : ${here.label}${from ? `, d'après « ${from} »` : ""}. `);
  const all = document.createElement("button");
  all.type = "button";
  all.className = "lien-bouton";
  all.textContent = "Chercher dans toute la France";
  all.addEventListener("click", () => {
    setPlace("");
    runNow({ explicit: true });
  });
  placeBox.append(all);
}

// A place typed in the box: "93200", "école 93", "répit lille", "saint-denis 93", "Corse".
// Returns {deps: [codes], rest: the other words, from: what named the place}, or null.
async function placeIn(term, needWords) {
  const text = term.trim();
  const code = postcodeIn(text);
  if (code) {
    const found = await lookup(code).catch(() => null);
    const rest = text.replace(/(\d{2})[ .\u00a0]?(\d{3})/, " ").replace(/\s+/g, " ").trim();
    return found ? { deps: [...new Set(found.choices.filter((c) => c.url).map((c) => c.dep))], rest, from: code } : null;
  }
  const words = text.split(/\s+/).filter(Boolean);
  const index = await getIndex().catch(() => null);
  if (!index) return null;
  for (const [at, rest] of [[words.length - 1, words.slice(0, -1)], [0, words.slice(1)]]) {
    const dep = departementCode(words[at] || "");
    if (dep && index.departements[dep]) return { deps: [dep], rest: rest.join(" "), from: words[at] };
  }
  // Trailing words naming a département, a région or a commune (not a family word: "vue" is a commune).
  for (let n = Math.min(5, words.length); n >= 1; n--) {
    const tail = words.slice(-n).join(" ");
    if (needWords.has(normalize(tail))) continue;
    const found = await lookup(tail).catch(() => null);
    if (found && (found.kind === "trouve" || found.kind === "choix")) {
      const deps = [...new Set(found.choices.filter((c) => c.url).map((c) => c.dep))];
      return { deps, rest: words.slice(0, -n).join(" "), from: tail };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------
// Pagefind

function chosenFilters() {
  const filters = {};
  for (const select of selects) if (select.value) filters[select.dataset.filtre] = select.value;
  return filters;
}

// A page that serves every place, age or situation carries a catch-all value ("Toute la France",
// "Tous les âges"…) named by the chosen option's data-joker: ask for the value or its catch-all.
// The place is asked for apart (placeFilter), so that its own pages come first.
function pagefindFilters() {
  const out = {};
  for (const select of selects) {
    if (!select.value || select === placeSelect) continue;
    const option = select.selectedOptions[0];
    const value = option.dataset.valeur || select.value;
    out[select.dataset.filtre] = option.dataset.joker ? { any: [value, option.dataset.joker] } : value;
  }
  return out;
}

// Words too common to look for alone when no page holds all the words of a query.
const COMMON_WORDS = new Set(["le", "la", "les", "l", "de", "des", "du", "d", "un", "une", "et", "ou", "a", "à",
  "au", "aux", "en", "pour", "par", "sur", "avec", "dans", "mon", "ma", "mes", "son", "sa", "ses", "qui", "que",
  "je", "j", "suis", "est", "il", "elle", "ai", "pas", "plus", "me", "moi", "nous"]);

// A word it does not know, Pagefind answers with the longest indexed word it begins with: "aesh" finds
// every "à". A search whose best result matches only words of one or two letters found nothing, unless
// such a word is the query's own stem ("vue" is stemmed "vu").
async function answered(search, term) {
  if (!search || !search.results.length) return false;
  const length = term.replace(/\s/g, "").length;
  if (length <= 2) return true;
  const data = await search.results[0].data();
  const marks = [...(data.excerpt || "").matchAll(/<mark>([^<]*)<\/mark>/g)].map((m) => m[1].trim());
  return marks.length === 0 || marks.some((m) => m.length > 2 || m.length >= length - 1);
}

// No page holds every word ("aide pour mon fils autiste"): the pages that hold some of them rather than
// a dead end. First those holding the most words; then by score, each word's scores scaled to its best
// result and weighted by rarity, so that "autiste" (a few pages) counts more than "aide" (many).
async function someWords(engine, term, filters) {
  const words = [...new Set(term.toLowerCase().split(/[\s'’]+/))].filter((w) => w && !COMMON_WORDS.has(w));
  if (words.length < 2) return [];
  const each = await Promise.all(words.map((w) => engine.search(w, { filters })));
  const useful = await Promise.all(each.map((search, i) => answered(search, words[i])));
  const searches = each.filter((_, i) => useful[i]);
  const most = Math.max(1, ...searches.map((s) => s.results.length));
  const found = new Map();
  for (const search of searches) {
    const best = search.results[0].score || 1;
    const rarity = Math.log(1 + most / search.results.length);
    for (const result of search.results) {
      const entry = found.get(result.id) || { result, words: 0, score: 0 };
      entry.words += 1;
      entry.score += (result.score / best) * rarity;
      found.set(result.id, entry);
    }
  }
  return [...found.values()].sort((a, b) => b.words - a.words || b.score - a.score).map((entry) => entry.result);
}

// One search with its filters: the pages that hold every word of the query.
async function searchAll(engine, term, filters) {
  let search = await engine.search(term || null, { filters });
  if (search && term && !(await answered(search, term))) search = { results: [] };
  return search ? search.results : [];
}

// The place's own pages (its département, its structures, the regional resources covering it) first,
// then what serves all of France; without a place, one search everywhere. When no page holds every
// word, the pages holding some of them, in the same order.
async function pagefindResults(term, here, needs) {
  const engine = await pagefind();
  // The need pages already proposed are not asked for twice (each carries its code as filter "besoin").
  const filters = needs.length ? { ...pagefindFilters(), besoin: { none: needs } } : pagefindFilters();
  const scopes = here ? [{ ...filters, departement: here.label }, { ...filters, departement: TOUTE_LA_FRANCE }] : [filters];
  const all = (await Promise.all(scopes.map((f) => searchAll(engine, term, f)))).flat();
  if (all.length || !term) return { results: all, partial: false };
  const some = (await Promise.all(scopes.map((f) => someWords(engine, term, f)))).flat();
  return { results: some, partial: some.length > 0 };
}

// ---------------------------------------------------------------------------------------------------
// Results

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

// Pagefind's excerpt is text with <mark> around matched words: keep exactly that, nothing else.
function excerptNodes(html) {
  const doc = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html");
  const out = [];
  for (const node of doc.body.firstChild.childNodes) {
    if (node.nodeType === Node.ELEMENT_NODE && node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      out.push(mark);
    } else {
      out.push(document.createTextNode(node.textContent));
    }
  }
  return out;
}

// A page of several sections (glossary, guide): link to the term or heading where the first match is.
function target(data) {
  const anchors = data.anchors || [];
  if (anchors.length < 2 || !(data.locations || []).length) return data.url;
  const first = Math.min(...data.locations);
  const before = anchors.filter((a) => a.id && a.location <= first);
  return before.length ? `${data.url}#${before[before.length - 1].id}` : data.url;
}

// A need's page: in the chosen département when there is one.
function needItem(code, label, here) {
  if (here) {
    return { url: `${here.url}${code}/`, title: `${label} — ${here.label}`,
      meta: `Qui appeler et les services ${here.de}, avec leur téléphone`, need: true, code };
  }
  return { url: `${BASE}besoins/${code}/`, title: label, meta: "Qui appeler : choisissez ensuite votre département", need: true, code };
}

function resultItem(item) {
  const li = document.createElement("li");
  li.className = item.need ? "resultat resultat--besoin" : "resultat";
  const title = document.createElement("h2");
  title.className = "resultat__titre";
  const link = document.createElement("a");
  link.href = item.url;
  link.textContent = item.title;
  title.append(link);
  li.append(title);
  if (item.meta) {
    const p = document.createElement("p");
    p.className = "resultat__meta";
    p.textContent = item.meta;
    li.append(p);
  }
  if (item.excerpt) {
    const p = document.createElement("p");
    p.className = "resultat__extrait";
    p.append(...excerptNodes(item.excerpt));
    li.append(p);
  }
  return li;
}

// A Pagefind result as an item; a national need page becomes the need's page in the chosen département.
async function pagefindItem(result, here) {
  const data = await result.data();
  const meta = data.meta || {};
  if (meta.besoin) return needItem(meta.besoin, meta.title, here);
  // The type comes from the filters (every result carries them); the place from the metadata.
  const details = [data.filters && data.filters.type && data.filters.type[0], meta.lieu].filter(Boolean);
  return { url: target(data), title: meta.title || data.url, meta: details.join(" — "), excerpt: data.excerpt };
}

async function showMore(focusFirst, size = PAGE_SIZE) {
  const mine = sequence;
  const shown = new Set([...list.querySelectorAll("a")].map((a) => a.getAttribute("href")));
  const items = [];
  while (items.length < size && current.shown < current.items.length) {
    const next = current.items[current.shown++];
    const item = next.data ? await pagefindItem(next, place()) : next;
    if (mine !== sequence) return;
    if (!shown.has(item.url)) {
      shown.add(item.url);
      items.push(item);
    }
  }
  const nodes = items.map(resultItem);
  list.append(...nodes);
  list.hidden = list.children.length === 0;
  more.hidden = current.shown >= current.items.length;
  if (focusFirst && nodes.length) nodes[0].querySelector("a").focus();
}

function updateAddress(term) {
  const params = new URLSearchParams();
  if (term) params.set("q", term);
  for (const [key, value] of Object.entries(chosenFilters())) params.set(key, value);
  const query = params.toString();
  window.history.replaceState(null, "", query ? `?${query}` : window.location.pathname);
}

// No result: never a dead end. The number, the place's MDPH, and the pages that need no search.
function showNone(show) {
  none.hidden = !show;
  if (!show) return;
  const here = place();
  const mdph = none.querySelector("[data-mdph]");
  const link = mdph.querySelector("a");
  mdph.hidden = !(here && here.mdph);
  if (here && here.mdph) {
    link.href = here.mdph;
    link.textContent = here.mdphNom;
  }
  const needs = none.querySelector("[data-besoins]");
  needs.href = here ? `${here.url}#besoins-titre` : `${BASE}besoins/`;
  needs.textContent = here ? `Les besoins et les services ${here.de}` : "Chercher par besoin";
}

function announce(explicit) {
  if (!explicit) return;
  // After « Rechercher », the count (or the first result) must be in view on a phone, and read out.
  // The lines above the count (the place understood, the départements to choose from) come into view with it.
  status.focus({ preventScroll: true });
  const top = [placeBox, document.getElementById("recherche-choix")].find((el) => !el.hidden) || status;
  top.scrollIntoView({ block: "start" });
}

function describe(n, term, here, partial) {
  const what = term ? ` pour « ${term} »` : "";
  const where = here ? ` pour ${here.nom} (${here.code})` : "";
  const filters = Object.keys(chosenFilters()).filter((k) => k !== "departement").length ? " avec les filtres choisis" : "";
  const shown = n > current.shown ? `, ${list.children.length} affichés` : "";
  if (n === 0) {
    return `Aucun résultat${what}${where}${filters}. Vous pouvez appeler le numéro national, ou essayer un autre mot.`;
  }
  if (partial) {
    return `Aucun résultat ne contient tous les mots « ${term} » : ` +
      `${plural(n, "résultat contient", "résultats contiennent")} au moins un de ces mots${where}${filters}${shown}.`;
  }
  return `${plural(n, "résultat", "résultats")}${what}${where}${filters}${shown}.`;
}

async function run({ explicit: asked = false } = {}) {
  let explicit = asked;
  const mine = ++sequence;
  let term = input.value.trim();
  const needWords = new Set(Object.keys((await familyWords())?.mots || {}));
  if (mine !== sequence) return;
  // A place typed in the box scopes the search; the box keeps what remains.
  let from = null;
  let choices = [];
  if (term && explicit) {
    const found = await placeIn(term, needWords);
    if (mine !== sequence) return;
    if (found && found.deps.length === 1) {
      setPlace(found.deps[0]);
      term = found.rest;
      if (input.value.trim() !== term) input.value = term;
      from = found.from;
    } else if (found && found.deps.length > 1) {
      choices = found.deps;
    }
  }
  showPlace(from);
  updateAddress(term);
  const here = place();
  const others = Object.keys(chosenFilters()).filter((k) => k !== "departement").length > 0;
  if (!term && !here && !others) {
    list.replaceChildren();
    list.hidden = true;
    more.hidden = true;
    finish("", false, false);
    return;
  }
  // At once, before the index: the need pages the words name; for a place alone, its page and its needs.
  const placeOnly = here && !term && !others;
  const instant = (await needsIn(term)).map((n) => needItem(n.code, n.label, here));
  if (placeOnly) {
    instant.unshift({ url: here.url, title: `${here.label} : la communauté 360 et tous les services`, meta: "La page du département" });
    for (const [code, label] of Object.entries((await familyWords())?.besoins || {})) instant.push(needItem(code, label, here));
  }
  if (mine !== sequence) return;
  current = { items: instant, shown: 0 };
  list.replaceChildren();
  status.dataset.etat = "en-cours";
  showChoices(choices, term);
  if (instant.length) await showMore(false, placeOnly ? instant.length : PAGE_SIZE);
  if (mine !== sequence) return;
  if (placeOnly) {
    finish(`${instant.length} résultats pour ${here.label} : la page du département, puis une page par besoin.`,
      explicit, false);
    return;
  }
  if (instant.length) {
    // The need's page is there before the index: after « Rechercher », bring it into view now; the count
    // replaces this line (and is read out) when the other services have been found.
    status.textContent = "Recherche des autres services…";
    announce(explicit);
    explicit = false;
  }
  let found;
  try {
    found = await pagefindResults(term, here, instant.filter((i) => i.code).map((i) => i.code));
  } catch {
    finish("La recherche ne répond pas. Choisissez votre département dans la liste de tous les départements, "
      + "ou appelez le numéro national.", explicit, true);
    return;
  }
  if (mine !== sequence) return;
  current = { items: [...instant, ...found.results], shown: current.shown };
  if (current.shown < PAGE_SIZE) await showMore(false);
  if (mine !== sequence) return;
  const n = instant.length + found.results.length;
  current.describe = () => describe(n, term, here, found.partial && !instant.length);
  finish(current.describe(), explicit, n === 0);
}

// The search is over: say how many results, offer what to do when there is none, and after « Rechercher »
// bring the count into view on a phone and read it out.
function finish(text, explicit, empty) {
  status.textContent = text;
  status.dataset.etat = "fini";
  showNone(empty);
  announce(explicit);
}

// What a query finds, in order, as page addresses: the need pages its words name, then the index's
// results (the place's own first). The tests call it for each word of data/mots.yaml.
export async function find(term, code = "") {
  setPlace(code);
  const here = place();
  const instant = (await needsIn(term)).map((n) => needItem(n.code, n.label, here));
  const found = await pagefindResults(term, here, instant.map((i) => i.code));
  const items = [...instant, ...(await Promise.all(found.results.map((r) => pagefindItem(r, here))))];
  return [...new Set(items.map((i) => i.url))];
}

// Several départements for the place typed: the family chooses, the search runs there.
function showChoices(codes, term) {
  const box = document.getElementById("recherche-choix");
  box.replaceChildren();
  box.hidden = !codes.length;
  if (!codes.length) return;
  box.append("Plusieurs départements correspondent : ");
  for (const code of codes) {
    const option = [...placeSelect.options].find((o) => o.value === code);
    if (!option) continue;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "lien-bouton";
    button.textContent = option.dataset.valeur;
    button.addEventListener("click", () => {
      setPlace(code);
      input.value = term;
      runNow({ explicit: true });
    });
    box.append(button, " ");
  }
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(() => run(), DEBOUNCE_MS);
}

function runNow(options = {}) {
  clearTimeout(timer);
  run(options);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  runNow({ explicit: true });
});
input.addEventListener("input", () => {
  const length = input.value.trim().length;
  if (length === 0 || length >= MIN_CHARS) schedule();
  else clearTimeout(timer);
});
for (const select of selects) select.addEventListener("change", () => runNow());
more.addEventListener("click", () => showMore(true).then(() => {
  if (current.describe) status.textContent = current.describe();
}));
input.addEventListener("focus", () => pagefind().catch(() => {}), { once: true });

// The address: ?q=…&departement=93 (a code, or the label of older links) and the other filters.
const params = new URLSearchParams(window.location.search);
input.value = params.get("q") || "";
for (const select of selects) {
  const value = params.get(select.dataset.filtre);
  if (!value) continue;
  const option = [...select.options].find((o) => o.value === value || o.dataset.valeur === value);
  if (option) select.value = option.value;
}
// Filters other than the place unfold by themselves on a wide screen, or when one is chosen.
const chosen = Object.keys(chosenFilters()).filter((k) => k !== "departement");
if (chosen.length || window.matchMedia("(min-width: 48rem)").matches) filtersBox.open = true;
// The filters offer only the values some page carries (decided by the build, site/search_facets.py): asking
// the engine here would download every filter of the index before the first search.
if (input.value.trim() || Object.keys(chosenFilters()).length) run({ explicit: !!input.value.trim() });
