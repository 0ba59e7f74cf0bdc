// Beaconport's browser entry point, loaded with <script type="module">. Module scripts run once
// the document has been parsed, so every component on the page is there to initialise.
//
// Both files imported here are self-contained ES modules (MoJ Frontend's build bundles the parts
// of GOV.UK Frontend it needs), so the browser loads them without an import map or a bundler.
import {
  initAll as initGovukFrontend,
  isSupported,
} from "./govuk/govuk-frontend.min.js";
import { initAll as initMojFrontend } from "./moj/moj-frontend.min.js";

// A component that is already initialised throws InitError when asked again; that is expected
// when content swapped in by htmx is initialised together with its neighbours.
function reportError(error) {
  if (error && error.name !== "InitError") {
    console.error(error);
  }
}

function initialise(scope) {
  const options = { scope, onError: reportError };
  initGovukFrontend(options);
  initMojFrontend(options);
}

if (isSupported()) {
  initialise(document);

  // htmx fires htmx:load on each element it adds to the page (and once on <body> at start-up,
  // which the call above has covered). GOV.UK Frontend looks for components inside the scope
  // only, so the new element's parent is the scope, in case the element is itself a component.
  document.addEventListener("htmx:load", (event) => {
    const element = event.target;
    if (element instanceof Element && element !== document.body) {
      initialise(element.parentElement ?? element);
    }
  });
}
