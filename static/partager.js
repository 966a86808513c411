// « Partager » block (templates/partials/partager.html), progressive enhancement: the page already offers
// e-mail, SMS and the address to copy without JavaScript. Where the browser has them, this adds the system
// share sheet (navigator.share) and a copy button (navigator.clipboard). No inline script: strict CSP.
"use strict";

for (const block of document.querySelectorAll(".partager")) {
  const { url, titre, texte } = block.dataset;
  const buttons = block.querySelector(".partager__boutons");
  const share = block.querySelector("[data-partager=systeme]");
  const copy = block.querySelector("[data-partager=copier]");
  const status = block.querySelector(".partager__statut");
  if (typeof navigator.share === "function") {
    share.hidden = false;
    share.addEventListener("click", () => {
      navigator.share({ title: titre, text: texte, url }).catch(() => {}); // closing the sheet is not an error
    });
  }
  if (navigator.clipboard && window.isSecureContext) {
    copy.hidden = false;
    copy.addEventListener("click", () => {
      navigator.clipboard.writeText(url).then(
        () => { status.textContent = "Adresse copiée."; },
        () => { status.textContent = "La copie n'a pas marché : sélectionnez l'adresse ci-dessus et copiez-la."; },
      );
    });
  }
  buttons.hidden = share.hidden && copy.hidden;
}
