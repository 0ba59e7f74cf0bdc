// Loaded as a plain (classic, not deferred) script as the first thing in <body>. It does what
// GOV.UK Frontend's page template does in an inline script, which our Content-Security-Policy
// forbids: it marks the page as having JavaScript, and as able to run GOV.UK Frontend when the
// browser supports ES modules. The CSS keys styles off these classes, and GOV.UK Frontend and
// MoJ Frontend initialise nothing without `govuk-frontend-supported`.
document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
