/**
 * The playground's start-up script, served as an asset rather than inline so the page works under a strict
 * Content-Security-Policy. It reads its settings from meta tags, so one static text serves every install.
 */
export const PLAYGROUND_SCRIPT = `(function () {
  'use strict';
  var meta = function (name) { return document.querySelector('meta[name="' + name + '"]').getAttribute('content'); };
  var appId = meta('crm-app-id');
  var pathOf = function (url) { try { return new URL(url, location.href).pathname; } catch (e) { return ''; } };
  var ui = SwaggerUIBundle({
    url: meta('crm-openapi-url'),
    dom_id: '#swagger-ui',
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    deepLinking: true,
    tryItOutEnabled: true,
    displayRequestDuration: true,
    filter: true,
    docExpansion: 'list',
    defaultModelsExpandDepth: 0,
    // No call to the public validator: the page must work offline and tell nobody what it documents.
    validatorUrl: null,
    // Off: a persisted master key would sit in localStorage of the origin the CRM app also runs on.
    persistAuthorization: false,
    onComplete: function () { ui.preauthorizeApiKey('ApplicationId', appId); },
    // Log in or sign up once and every later request runs as that user; log out and they stop.
    responseInterceptor: function (response) {
      var path = pathOf(response.url);
      var body = response.body || {};
      if (response.ok && typeof body.sessionToken === 'string' && /\\/(login|users|users\\/me)$/.test(path)) {
        ui.preauthorizeApiKey('SessionToken', body.sessionToken);
      } else if (response.ok && /\\/logout$/.test(path)) {
        ui.authActions.logout(['SessionToken']);
      }
      return response;
    }
  });
  window.ui = ui;
})();
`;
