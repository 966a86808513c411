// "Find my communauté": a postal code or a commune name leads to the département page (static/lieux.js
// finds it). Without JavaScript the form goes to /trouver/, which lists the départements by the first
// digits of their postal codes.

import { lookup, normalize } from "./lieux.js";

export { normalize };

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
        li.append(`${place}${c.nom} (${c.dep}), hors de cet annuaire`);
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
      // What is true there is said on /numero-national/: the number may not answer there.
      const names = [...new Set(result.choices.map((c) => c.nom))].join(", ");
      const autre = result.choices.find((c) => c.autre);
      status.textContent = `${names} n'est pas dans cet annuaire, qui présente les 101 départements.`;
      if (autre) {
        const p = document.createElement("p");
        const a = document.createElement("a");
        a.href = `${document.documentElement.dataset.base || "/"}numero-national/#${autre.autre}`;
        a.textContent = `Ce que nous savons pour ${names}`;
        p.append(a);
        list.append(p);
      }
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
  // On /trouver/?q=… (the form sent from another page, or a shared link): answer at once.
  const q = new URLSearchParams(window.location.search).get("q");
  if (q && window.location.pathname === new URL(form.action).pathname) {
    input.value = q;
    run();
  }
}

for (const form of document.querySelectorAll("form[data-trouver]")) setup(form);
