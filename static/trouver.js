// "Find my communauté": a postal code or a commune name leads to the département page.
// Data: small JSON shards under /static/geo/, written at build time by annuaire360/geo.py from the
// committed reference (annuaire360/geodata/, @etalab/decoupage-administratif). Python's geo.Lookup is
// the reference implementation; both normalise names the same way.
// Without JavaScript the form goes to /trouver/, which lists every département.

// The site's base path ("/" or "/annuaire/"), written on <html> by the build: the site may live in a sub-folder.
const BASE = `${document.documentElement.dataset.base || "/"}static/geo/`;
const ABBREVIATIONS = { st: "saint", ste: "sainte" };
const MAX_CHOICES = 12;
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

// The index, with what every lookup needs from it prepared once.
async function getIndex() {
  const index = await getJSON("index.json");
  if (index && !index.split) {
    index.split = new Set(index.decoupe);
    index.names = Object.entries(index.departements).map(([dep, [nom]]) => [dep, normalize(nom)]);
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

// Returns {kind: "trouve"|"choix"|"hors"|"inconnu"|"suggestions"|"court", query, choices: [{dep, label}]}.
export async function lookup(query) {
  const index = await getIndex();
  if (!index) throw new Error("index");
  const text = query.trim();
  const answer = (choices, kind) => classify(index, text, choices, kind);
  const postcode = text.match(/(?:^|\D)(\d{5})(?:\D|$)/);
  if (postcode) {
    const code = postcode[1];
    const prefix = code.startsWith("97") || code.startsWith("98") ? code.slice(0, 3) : code.slice(0, 2);
    const shard = (await getJSON(`cp-${prefix}.json`)) || {};
    const value = shard[code];
    if (value === undefined) return answer([]);
    if (typeof value === "string") return answer([{ dep: value, label: code }]);
    return answer(value.map(([dep, names]) => ({ dep, label: names })));
  }
  if (/^(\d{1,3}|2[abAB])$/.test(text)) {
    const dep = /^\d$/.test(text) ? `0${text}` : text.toUpperCase();
    return answer(index.departements[dep] || index.hors[dep] ? [{ dep, label: dep }] : []);
  }
  const key = normalize(text);
  const compact = key.replace(/ /g, "");
  if (!compact) return { kind: "court", query: text, choices: [] };
  // A département's own name ("Corrèze", "la reunion") leads to it, beside any commune of that name.
  const named = index.names.filter(([, nom]) => nom === key).map(([dep]) => ({ dep, label: dep }));
  const data = (await getJSON(`n-${shardOf(compact, index)}.json`)) || {};
  const exact = (data[key] || []).map(choice);
  if (named.length || exact.length) return answer([...named, ...exact]);
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
  }));
  let kind = "inconnu";
  if (forced) kind = forced;
  else if (choices.length && !covered.length) kind = "hors";
  else if (deps.size === 1 && covered.length === choices.length) kind = "trouve";
  else if (choices.length) kind = "choix";
  return { kind, query, choices: withNames };
}

function render(form, result) {
  const status = document.getElementById("trouver-statut");
  const list = document.getElementById("trouver-choix");
  const number = form.dataset.numero;
  const q = `« ${result.query} »`;
  list.replaceChildren();
  const addList = (choices) => {
    const ul = document.createElement("ul");
    ul.className = "trouver__liste";
    for (const c of choices) {
      const li = document.createElement("li");
      const place = c.label === c.dep ? "" : `${c.label} : `;
      if (c.url) {
        const a = document.createElement("a");
        a.href = c.url;
        a.textContent = `${c.nom} (${c.dep})`;
        li.append(place, a);
      } else {
        li.append(`${place}${c.nom} (${c.dep}), non couvert par cet annuaire`);
      }
      ul.append(li);
    }
    list.append(ul);
  };
  switch (result.kind) {
    case "trouve": {
      const c = result.choices[0];
      status.textContent = `${c.nom} (${c.dep}) : ouverture de la page du département…`;
      window.location.assign(c.url);
      return;
    }
    case "choix":
      status.textContent = `${q} correspond à plusieurs départements : choisissez le vôtre dans la liste ci-dessous.`;
      addList(result.choices);
      return;
    case "suggestions":
      status.textContent = `Aucune commune ne s'appelle exactement ${q}. Voulez-vous dire l'une de celles-ci ?`;
      addList(result.choices);
      return;
    case "hors": {
      const names = [...new Set(result.choices.map((c) => c.nom))].join(", ");
      status.textContent = `${names} n'est pas couvert par cet annuaire, qui présente les 101 départements. ` +
        `Appelez le ${number} (appel gratuit) pour être orienté.`;
      return;
    }
    case "court":
      status.textContent = "Tapez au moins deux lettres du nom de votre commune, ou votre code postal à 5 chiffres.";
      return;
    default:
      status.textContent = `Nous n'avons pas trouvé ${q}. Vérifiez le code postal ou l'orthographe, ` +
        `ou choisissez votre département dans la liste. Vous pouvez aussi appeler le ${number} (appel gratuit).`;
  }
}

function setup(form) {
  const input = form.querySelector("input[name=q]");
  const run = async () => {
    if (!input.value.trim()) return;
    try {
      render(form, await lookup(input.value));
    } catch {
      document.getElementById("trouver-statut").textContent =
        "La recherche par commune ne répond pas : choisissez votre département dans la liste.";
    }
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  // On /trouver/?q=… (the form sent without JavaScript, or a shared link): answer at once.
  const q = new URLSearchParams(window.location.search).get("q");
  if (q && window.location.pathname === form.getAttribute("action")) {
    input.value = q;
    run();
  }
}

for (const element of document.querySelectorAll("[data-sans-js]")) element.hidden = true;
for (const form of document.querySelectorAll("form[data-trouver]")) setup(form);
