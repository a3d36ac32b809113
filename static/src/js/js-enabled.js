// Runs at the start of <body>, before anything is drawn: marks the page as having JavaScript,
// and as able to run GOV.UK Frontend's components (browsers that support ES modules), so their
// styles apply without a flash. An external file, because the content security policy allows
// no inline script.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
