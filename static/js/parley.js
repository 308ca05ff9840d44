// Progressive enhancement only: every page works without this file.
import { initAll } from "/static/govuk/govuk-frontend.min.js";

initAll();

// Each app's enhancements are small modules loaded by the pages that need them
// (data-parley-module="name" on an element loads /static/js/modules/name.js once).
const wanted = new Set(
  Array.from(document.querySelectorAll("[data-parley-module]")).map((el) => el.dataset.parleyModule),
);
for (const name of wanted) {
  if (/^[a-z0-9-]+$/.test(name)) {
    import(`/static/js/modules/${name}.js`).then((mod) => mod.default && mod.default());
  }
}
