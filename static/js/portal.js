// Workforce Hub: starts NHS.UK frontend. Loaded as <script type="module"> from base.html,
// so it runs once the page is parsed, and only in browsers that support ES modules,
// which is the test NHS.UK frontend's own template snippet makes for
// `nhsuk-frontend-supported`. No inline script is needed (Content Security Policy).
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
initAll();

// NHS.UK file upload builds its button as <status><hidden comma><"Choose file ...">
// with no space between, so the button's visible text reads "No file chosenChoose file"
// and axe reports its accessible name ("..., No file chosen, Choose file ...") as not
// matching it (label-content-name-mismatch, WCAG 2.5.3). A space restores the match.
for (const status of document.querySelectorAll(".nhsuk-file-upload__status")) {
  status.after(" ");
}
