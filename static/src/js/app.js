// Starts the components of GOV.UK Frontend and MoJ Frontend found on the page. Loaded as an ES
// module; the two packages' bundles sit next to this file in the build.
import { initAll as initGovukFrontend } from "./govuk-frontend.min.js";
import { initAll as initMojFrontend } from "./moj-frontend.min.js";

initGovukFrontend();
initMojFrontend();
