// Runs synchronously at the start of <body> so GOV.UK Frontend's JavaScript-only styles apply
// before first paint (kept in a file, not inline, so the Content Security Policy needs no nonce).
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
