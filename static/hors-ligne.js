// Registers the service worker (service-worker.js, at the root of the site) that keeps the pages a family
// opened available without a network. Optional: without JavaScript or without service workers, the site
// is the same. Addresses are taken from this script's own, so the site works under a sub-path too.
(() => {
  if (!("serviceWorker" in navigator) || !document.currentScript) return;
  const root = new URL("../", document.currentScript.src);
  window.addEventListener("load", () => {
    navigator.serviceWorker.register(new URL("service-worker.js", root), { scope: root.href }).catch(() => {
      // not available here (private browsing, file://…): the site works the same without it
    });
  });
})();
