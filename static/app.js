// Progressive enhancement for GOV.UK Frontend components. Loaded as a module, so browsers
// too old for GOV.UK Frontend's JavaScript never run it and get the plain HTML.
import { initAll } from "./govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
