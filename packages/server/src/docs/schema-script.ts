/** Renders the ER diagram once mermaid has loaded; a syntax error is shown in place of the diagram, not swallowed. */
export const SCHEMA_SCRIPT = `(function () {
  'use strict';
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'neutral', er: { useMaxWidth: false } });
  mermaid.run({ querySelector: '.er-diagram' }).then(function () {
    document.body.setAttribute('data-diagram', 'rendered');
  }, function (error) {
    document.body.setAttribute('data-diagram', 'failed');
    var note = document.createElement('p');
    note.className = 'er-error';
    note.textContent = 'The diagram could not be drawn: ' + (error && error.message ? error.message : error);
    document.querySelector('.er-diagram').before(note);
  });
})();
`;
