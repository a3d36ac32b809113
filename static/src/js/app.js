// Starts the components of GOV.UK Frontend and MoJ Frontend found on the page. Loaded as an ES
// module; the two packages' bundles sit next to this file in the build.
import { createAll, initAll as initGovukFrontend } from "./govuk-frontend.min.js";
import { FilterToggleButton, initAll as initMojFrontend } from "./moj-frontend.min.js";

initGovukFrontend();
initMojFrontend();
// MoJ Frontend's initAll leaves out the filter's show and hide button.
createAll(FilterToggleButton);

// A table wider than the screen scrolls inside its container (app-table-container). Such a
// container must be reachable from the keyboard to be scrolled, and so needs a name: the
// table's caption. One that fits is left alone, out of the tab order.
function labelScrollingTables() {
  for (const container of document.querySelectorAll(".app-table-container")) {
    if (container.scrollWidth > container.clientWidth) {
      const caption = container.querySelector("caption");
      const name = caption ? caption.textContent.trim().replace(/\s+/g, " ") : "Table";
      container.setAttribute("tabindex", "0");
      container.setAttribute("role", "region");
      container.setAttribute("aria-label", `${name} (scrolls sideways)`);
    } else {
      container.removeAttribute("tabindex");
      container.removeAttribute("role");
      container.removeAttribute("aria-label");
    }
  }
}

labelScrollingTables();
window.addEventListener("resize", labelScrollingTables);
