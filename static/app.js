// Progressive enhancement for GOV.UK Frontend components. Loaded as a module, so browsers
// too old for GOV.UK Frontend's JavaScript never run it and get the plain HTML.
import { initAll } from "./govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// A form marked data-warn-unsaved asks before the page is left with what was typed in it
// not saved (the browser words the question). Saving the form itself is not leaving it.
for (const form of document.querySelectorAll("form[data-warn-unsaved]")) {
  let unsaved = false;
  form.addEventListener("input", () => {
    unsaved = true;
  });
  form.addEventListener("submit", () => {
    unsaved = false;
  });
  window.addEventListener("beforeunload", (event) => {
    if (unsaved) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
}
