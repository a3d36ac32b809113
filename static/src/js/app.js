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

// A page that waits for work in the background (a report, an import, a ranking run) reloads
// itself every few seconds until the work is done. Not with a meta refresh, which the person
// cannot stop (WCAG 2.2.1): a button stops it.
for (const refresher of document.querySelectorAll("[data-app-refresh]")) {
  const seconds = Number(refresher.dataset.appRefresh) || 5;
  const timer = window.setTimeout(() => window.location.reload(), seconds * 1000);
  const stop = document.createElement("button");
  stop.type = "button";
  stop.className = "govuk-button govuk-button--secondary";
  stop.textContent = "Stop refreshing this page";
  stop.addEventListener("click", () => {
    window.clearTimeout(timer);
    stop.remove();
  });
  refresher.append(stop);
}
