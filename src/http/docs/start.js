// Starts Swagger UI on our API description. A file of its own, not an inline script, so
// the page works under a content security policy that forbids inline scripts.
window.ui = SwaggerUIBundle({
  url: "/api/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  // The default sends the document's address to a public validator and shows its badge.
  validatorUrl: null,
});
