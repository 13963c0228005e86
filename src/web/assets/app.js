// Live validation on the fix form: every change is checked by the pipeline's own normalization
// (POST /api/rejects/:id/validate) and the verdict replaces the preview panel. Without script
// the form still works: saving shows the same verdict.
(function () {
  'use strict';
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content;

  // picking rejects: one by one, the whole page, or every reject of the filter (all pages)
  var page = document.getElementById('select-page');
  var everything = document.getElementById('select-filter');
  var count = document.getElementById('selected-count');
  function picks() { return Array.prototype.slice.call(document.querySelectorAll('input.pick')); }
  function showCount() {
    if (!count) return;
    var n = picks().filter(function (b) { return b.checked; }).length;
    if (everything && everything.checked) count.textContent = count.getAttribute('data-all');
    else count.textContent = n ? count.getAttribute('data-some').replace('{n}', String(n)) : count.getAttribute('data-none');
  }
  if (page) {
    page.addEventListener('change', function () {
      picks().forEach(function (box) { box.checked = page.checked; });
      if (!page.checked && everything) everything.checked = false;
      showCount();
    });
  }
  if (everything) {
    everything.addEventListener('change', function () {
      picks().forEach(function (box) { box.checked = everything.checked; box.disabled = everything.checked; });
      if (page) page.checked = everything.checked;
      showCount();
    });
  }
  picks().forEach(function (box) { box.addEventListener('change', showCount); });
  showCount();

  var form = document.getElementById('fix-form');
  var panel = document.getElementById('preview');
  if (!form || !panel || !csrf) return;
  var id = form.getAttribute('data-reject');

  function edits() {
    var out = {};
    form.querySelectorAll('input[data-field]').forEach(function (input) {
      var masked = input.name.indexOf('k.') === 0;
      if (masked ? input.value.trim() !== '' : input.value !== input.getAttribute('data-original')) out[input.getAttribute('data-field')] = input.value;
    });
    return out;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function reasons(list, listId) {
    var ul = el('ul', 'reasons');
    ul.id = listId;
    list.forEach(function (r) {
      var li = el('li');
      li.setAttribute('data-code', r.code);
      li.appendChild(el('strong', '', r.title));
      if (r.field) li.appendChild(document.createTextNode(' · ' + (r.fieldLabel || r.field)));
      if (r.detail) li.appendChild(el('span', 'detail', ' · ' + r.detail));
      li.appendChild(el('div', 'explain', r.explain));
      li.appendChild(el('div', 'rule', r.rule));
      ul.appendChild(li);
    });
    return ul;
  }

  var verdicts = JSON.parse(panel.getAttribute('data-verdicts') || 'null');
  var entities = JSON.parse(panel.getAttribute('data-entities') || '{}');

  function render(p) {
    panel.className = 'preview verdict-' + p.kind;
    panel.setAttribute('data-kind', p.kind);
    panel.textContent = '';
    panel.appendChild(el('p', 'verdict', (verdicts && verdicts[p.kind]) || p.kind));
    if (p.reasons.length) panel.appendChild(reasons(p.reasons, 'preview-reasons'));
    if (p.warnings.length) panel.appendChild(reasons(p.warnings, 'preview-warnings'));
    p.records.forEach(function (rec) {
      var table = el('table', 'record');
      table.appendChild(el('caption', '', (entities[rec.entity] || rec.entity) + (rec.naturalKey ? ' · ' + rec.naturalKey : '')));
      // labels and texts come from the server (yuan, names, dates), never raw JSON
      (rec.rows || []).forEach(function (row) {
        var tr = el('tr');
        tr.setAttribute('data-key', row.key);
        tr.appendChild(el('th', '', row.label));
        tr.appendChild(el('td', '', row.text));
        table.appendChild(tr);
      });
      panel.appendChild(table);
    });
  }

  var timer = null;
  var seq = 0;
  function validate() {
    var mine = ++seq;
    panel.setAttribute('aria-busy', 'true');
    fetch('/api/rejects/' + id + '/validate', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      credentials: 'same-origin',
      body: JSON.stringify({ edits: edits() })
    })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (p) {
        if (p && mine === seq) {
          render(p);
          panel.setAttribute('data-validated', String(mine));
        }
        panel.removeAttribute('aria-busy');
      });
  }
  form.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(validate, 250);
  });
})();
