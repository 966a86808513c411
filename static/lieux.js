// Places: a postal code, a commune, a département or a région typed by a family → the département(s) it means.
// Data: small JSON shards under /static/geo/, written at build time by annuaire360/site/geo.py from the
// committed reference (annuaire360/site/geodata/, @etalab/decoupage-administratif). Python's geo.Lookup
// is the reference implementation; both normalise names the same way (the tests run both).
// Used by static/trouver.js ("find my communauté") and static/recherche.js (a place typed in the search box).

// The site's base path ("/" or "/annuaire/"), written on <html> by the build: the site may live in a sub-folder.
const BASE = `${document.documentElement.dataset.base || "/"}static/geo/`;
const ABBREVIATIONS = { st: "saint", ste: "sainte" };
const ARTICLES = new Set(["la", "le", "les", "l"]);
export const MAX_CHOICES = 12;
const cache = new Map();

function getJSON(name) {
  if (!cache.has(name)) {
    cache.set(name, fetch(BASE + name).then((r) => (r.ok ? r.json() : null)).catch(() => null));
  }
  return cache.get(name);
}

export function normalize(text) {
  const words = text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/œ/g, "oe")
    .replace(/æ/g, "ae")
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .filter(Boolean);
  return words.map((w) => ABBREVIATIONS[w] || w).join(" ");
}

// "la reunion" and "reunion", "les landes" and "landes" are the same name.
function withoutArticle(key) {
  const words = key.split(" ");
  return words.length > 1 && ARTICLES.has(words[0]) ? words.slice(1).join(" ") : key;
}

// The index, with what every lookup needs from it prepared once.
export async function getIndex() {
  const index = await getJSON("index.json");
  if (index && !index.split) {
    index.split = new Set(index.decoupe);
    index.shards = new Set(index.fragments.split(" "));
    index.names = new Map();
    for (const [dep, [nom]] of Object.entries(index.departements)) index.names.set(withoutArticle(normalize(nom)), [dep]);
    for (const [nom, deps] of Object.entries(index.regions)) {
      const key = withoutArticle(normalize(nom));
      if (!index.names.has(key)) index.names.set(key, deps);
    }
  }
  return index;
}

function shardOf(compact, index) {
  let key = compact.slice(0, index.prefixe);
  while (index.split.has(key) && compact.length > key.length) key = compact.slice(0, key.length + 1);
  return key;
}

// A commune row [nom, département, detail, population] as a choice.
function choice([nom, dep, detail]) {
  return { dep, label: detail ? `${nom} (${detail})` : nom };
}

// "93 200", "93.200", "93200": the postal code in a text, or null.
export function postcodeIn(text) {
  const found = text.match(/(?:^|[^\d])(\d{2})[ .\u00a0]?(\d{3})(?![\d])/);
  return found ? found[1] + found[2] : null;
}

// "93", "2a", "974", "1" → a département code, or null.
export function departementCode(text) {
  const t = text.trim();
  if (!/^(\d{1,3}|2[abAB])$/.test(t)) return null;
  return /^\d$/.test(t) ? `0${t}` : t.toUpperCase();
}

async function byPostcode(code) {
  const prefix = code.startsWith("97") || code.startsWith("98") ? code.slice(0, 3) : code.slice(0, 2);
  const shard = (await getJSON(`cp-${prefix}.json`)) || {};
  const value = shard[code];
  if (value === undefined) return [];
  if (typeof value === "string") return [{ dep: value, label: code }];
  return value.map(([dep, names]) => ({ dep, label: names }));
}

async function byName(key, index) {
  const compact = key.replace(/ /g, "");
  const shard = shardOf(compact, index);
  const data = (index.shards.has(shard) && (await getJSON(`n-${shard}.json`))) || {};
  return { data, exact: (data[key] || []).map(choice) };
}

// The département a trailing hint names: "… 93", "… 2A", "… reunion", "… seine saint denis".
function hintOf(words, index) {
  if (words.length < 2) return null;
  const last = departementCode(words[words.length - 1]);
  if (last && (index.departements[last] || index.hors[last])) return { deps: [last], rest: words.slice(0, -1) };
  for (let n = Math.min(4, words.length - 1); n >= 1; n--) {
    const deps = index.names.get(withoutArticle(words.slice(-n).join(" ")));
    if (deps) return { deps, rest: words.slice(0, -n) };
  }
  return null;
}

// Returns {kind: "trouve"|"choix"|"hors"|"inconnu"|"suggestions"|"court", query, choices: [{dep, label, nom, url}]}.
export async function lookup(query) {
  const index = await getIndex();
  if (!index) throw new Error("index");
  const text = query.trim();
  const answer = (choices, kind) => classify(index, text, choices, kind);
  const code = postcodeIn(text);
  if (code) return answer(await byPostcode(code));
  const dep = departementCode(text);
  if (dep) return answer(index.departements[dep] || index.hors[dep] ? [{ dep, label: dep }] : []);
  const key = normalize(text);
  const compact = key.replace(/ /g, "");
  if (!compact) return { kind: "court", query: text, choices: [] };
  // A département's or a région's own name ("Corrèze", "reunion", "Corse") leads to it, beside any
  // commune of that name.
  const named = (index.names.get(withoutArticle(key)) || []).map((d) => ({ dep: d, label: d }));
  const { data, exact } = await byName(key, index);
  if (named.length || exact.length) return answer([...named, ...exact]);
  // "Saint-Denis 93", "Saint-Denis Réunion": a commune, and the département that tells homonyms apart.
  const hint = hintOf(key.split(" "), index);
  if (hint && hint.rest.length) {
    const found = (await byName(hint.rest.join(" "), index)).exact;
    const kept = found.filter((c) => hint.deps.includes(c.dep));
    if (kept.length || found.length) return answer(kept.length ? kept : found);
  }
  if (compact.length < 2) return { kind: "court", query: text, choices: [] };
  // No exact name: the communes whose name starts with what was typed, most populated first.
  const starts = [];
  for (const [name, rows] of Object.entries(data)) {
    if (name.startsWith(key)) for (const row of rows) starts.push(row);
  }
  starts.sort((a, b) => (b[3] || 0) - (a[3] || 0));
  const choices = starts.slice(0, MAX_CHOICES).map(choice);
  return answer(choices, choices.length ? "suggestions" : undefined);
}

function classify(index, query, choices, forced) {
  const covered = choices.filter((c) => index.departements[c.dep]);
  const deps = new Set(covered.map((c) => c.dep));
  const withNames = choices.map((c) => ({
    ...c,
    nom: (index.departements[c.dep] || [index.hors[c.dep]])[0],
    url: index.departements[c.dep] ? index.departements[c.dep][1] : null,
    autre: index.autres[c.dep] || null,
  }));
  let kind = "inconnu";
  if (forced) kind = forced;
  else if (choices.length && !covered.length) kind = "hors";
  else if (deps.size === 1 && covered.length === choices.length) kind = "trouve";
  else if (choices.length) kind = "choix";
  return { kind, query, choices: withNames };
}
