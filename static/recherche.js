// Search page: our own accessible interface on Pagefind's JavaScript API (no inline script; the CSP
// needs script-src 'self' 'wasm-unsafe-eval' and worker-src 'self' blob:).
// The form is a plain GET form: without JavaScript it reloads /recherche/, which then says where to go.
// With JavaScript, ?q=…&departement=… in the address runs the search, and the address follows the search.

const PAGE_SIZE = 5; // results shown at once: few, so that a family is not overwhelmed and each query stays light
const DEBOUNCE_MS = 300;
// Searching as you type starts at the third character: "a" or "au" would announce dozens of results
// that mean nothing, and download the index of every word they begin. Enter searches any word.
const MIN_CHARS = 3;

const form = document.querySelector("form[data-recherche]");
const input = form.querySelector("input[name=q]");
const filtersBox = form.querySelector("[data-filtres]");
const selects = [...form.querySelectorAll("select[data-filtre]")];
const status = document.getElementById("recherche-statut");
const list = document.getElementById("recherche-resultats");
const more = document.getElementById("recherche-plus");

// The site's base path ("/" or "/annuaire/"), written on <html> by the build: the site may live in a sub-folder.
const BASE = document.documentElement.dataset.base || "/";

let pagefindPromise = null;
let sequence = 0;
let current = { results: [], shown: 0 };
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

function chosenFilters() {
  const filters = {};
  for (const select of selects) if (select.value) filters[select.dataset.filtre] = select.value;
  return filters;
}

// A page that serves every place, age or situation carries a catch-all value ("Toute la France",
// "Tous les âges"…) named by the chosen option's data-joker: ask for the value or its catch-all.
function pagefindFilters() {
  const out = {};
  for (const select of selects) {
    if (!select.value) continue;
    const joker = select.selectedOptions[0].dataset.joker;
    out[select.dataset.filtre] = joker ? { any: [select.value, joker] } : select.value;
  }
  return out;
}

// Words too common to look for alone when no page holds all the words of a query.
const COMMON_WORDS = new Set(["le", "la", "les", "l", "de", "des", "du", "d", "un", "une", "et", "ou", "a", "à",
  "au", "aux", "en", "pour", "par", "sur", "avec", "dans", "mon", "ma", "mes", "son", "sa", "ses", "qui", "que"]);

// A word it does not know, Pagefind answers with the longest indexed word it begins with: "aesh" finds
// every "à". A search whose best result matches only words of one or two letters found nothing.
async function answered(search, term) {
  if (!search || !search.results.length) return false;
  if (term.replace(/\s/g, "").length <= 2) return true;
  const data = await search.results[0].data();
  const marks = [...(data.excerpt || "").matchAll(/<mark>([^<]*)<\/mark>/g)].map((m) => m[1].trim());
  return marks.length === 0 || marks.some((m) => m.length > 2);
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

function resultItem(data) {
  const li = document.createElement("li");
  li.className = "resultat";
  const title = document.createElement("h2");
  title.className = "resultat__titre";
  const link = document.createElement("a");
  link.href = target(data);
  link.textContent = (data.meta && data.meta.title) || data.url;
  title.append(link);
  li.append(title);
  // The type comes from the filters (every result carries them); the place from the metadata.
  const details = [data.filters && data.filters.type && data.filters.type[0], data.meta && data.meta.lieu].filter(Boolean);
  if (details.length) {
    const p = document.createElement("p");
    p.className = "resultat__meta";
    p.textContent = details.join(" — ");
    li.append(p);
  }
  if (data.excerpt) {
    const p = document.createElement("p");
    p.className = "resultat__extrait";
    p.append(...excerptNodes(data.excerpt));
    li.append(p);
  }
  return li;
}

async function showMore(focusFirst) {
  const batch = current.results.slice(current.shown, current.shown + PAGE_SIZE);
  const mine = sequence;
  const data = await Promise.all(batch.map((r) => r.data()));
  if (mine !== sequence) return;
  const items = data.map(resultItem);
  list.append(...items);
  current.shown += batch.length;
  list.hidden = current.shown === 0;
  more.hidden = current.shown >= current.results.length;
  if (focusFirst && items.length) items[0].querySelector("a").focus();
}

function updateAddress(term, filters) {
  const params = new URLSearchParams();
  if (term) params.set("q", term);
  for (const [key, value] of Object.entries(filters)) params.set(key, value);
  const query = params.toString();
  window.history.replaceState(null, "", query ? `?${query}` : window.location.pathname);
}

async function run() {
  const mine = ++sequence;
  const term = input.value.trim();
  const filters = chosenFilters();
  updateAddress(term, filters);
  if (!term && !Object.keys(filters).length) {
    list.replaceChildren();
    list.hidden = true;
    more.hidden = true;
    status.textContent = "";
    return;
  }
  let search;
  let partial = false;
  try {
    const engine = await pagefind();
    const asked = pagefindFilters();
    search = await engine.search(term || null, { filters: asked });
    if (search && term && !(await answered(search, term))) search = { results: [] };
    if (mine !== sequence) return;
    if (search && search.results.length === 0 && term) {
      const some = await someWords(engine, term, asked);
      if (mine !== sequence) return;
      if (some.length) search = { results: some };
      partial = some.length > 0;
    }
  } catch {
    status.textContent =
      "La recherche ne répond pas. Choisissez votre département dans la liste de tous les départements.";
    return;
  }
  if (mine !== sequence || !search) return;
  current = { results: search.results, shown: 0 };
  list.replaceChildren();
  await showMore(false);
  if (mine !== sequence) return;
  const n = search.results.length;
  const what = term ? ` pour « ${term} »` : "";
  const withFilters = Object.keys(filters).length ? " avec les filtres choisis" : "";
  const shown = n > current.shown ? `, ${current.shown} affichés` : "";
  if (n === 0) {
    status.textContent = `Aucun résultat${what}${withFilters}. Essayez un autre mot, retirez un filtre, ` +
      "ou choisissez votre département dans la liste de tous les départements.";
  } else if (partial) {
    status.textContent = `Aucun résultat ne contient tous les mots « ${term} » : ` +
      `${plural(n, "résultat contient", "résultats contiennent")} au moins un de ces mots${withFilters}${shown}.`;
  } else {
    status.textContent = `${plural(n, "résultat", "résultats")}${what}${withFilters}${shown}.`;
  }
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(run, DEBOUNCE_MS);
}

// Drop filter values that no page carries (a type with no structure yet), once the engine is there.
async function pruneFilters() {
  try {
    const counts = await (await pagefind()).filters();
    for (const select of selects) {
      const known = counts[select.dataset.filtre] || {};
      for (const option of [...select.options]) {
        const carried = known[option.value] || (option.dataset.joker && known[option.dataset.joker]);
        if (option.value && !carried && !option.selected) option.remove();
      }
    }
  } catch {
    // Filters stay as rendered: harmless.
  }
}

function runNow() {
  clearTimeout(timer);
  run();
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  runNow();
});
input.addEventListener("input", () => {
  const length = input.value.trim().length;
  if (length === 0 || length >= MIN_CHARS) schedule();
  else clearTimeout(timer);
});
for (const select of selects) select.addEventListener("change", runNow);
more.addEventListener("click", () => showMore(true).then(() => {
  status.textContent = `${current.shown} résultats affichés sur ${current.results.length}.`;
}));
input.addEventListener("focus", () => pagefind().catch(() => {}), { once: true });

for (const element of document.querySelectorAll("[data-sans-js]")) element.hidden = true;
filtersBox.hidden = false;
const params = new URLSearchParams(window.location.search);
input.value = params.get("q") || "";
for (const select of selects) {
  const value = params.get(select.dataset.filtre);
  if (value && [...select.options].some((o) => o.value === value)) select.value = value;
}
if (input.value.trim() || Object.keys(chosenFilters()).length) run().then(pruneFilters);
else filtersBox.addEventListener("focusin", pruneFilters, { once: true });
