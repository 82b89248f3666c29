// Findling search page: search box with suggestions (accessible combobox),
// results with highlighted snippets, facets as filters, paging, "Meinten
// Sie …?" and the state in the URL (history.pushState, back button works).
// Document text is only ever inserted as text nodes, never parsed as HTML.
'use strict';

(function () {
  const PAGE = 10;           // results per page
  const SUGGEST_DELAY = 150; // ms of typing pause before suggestions
  const SUGGEST_LIMIT = 8;
  const FACET_LABEL = { source: 'Quelle', type: 'Typ', year: 'Jahr' };

  const $ = (id) => document.getElementById(id);
  const form = $('search-form');
  const input = $('q');
  const list = $('suggestions');
  const sortSel = $('sort');
  const statusEl = $('status');
  const dymEl = $('didyoumean');
  const resultsEl = $('results');
  const facetsEl = $('facets');
  const pager = $('pager');

  let state = { q: '', offset: 0, sort: 'relevance', source: '', type: '', year: '' };
  let suggestTimer = 0;
  let suggestAbort = null;
  let searchAbort = null;
  let active = -1;          // index of the highlighted suggestion
  let items = [];           // current suggestion strings

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else e.setAttribute(k, v);
    }
    for (const c of children) {
      if (c !== null && c !== undefined)
        e.append(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return e;
  }

  // ---- URL <-> state ----
  function fromURL() {
    const p = new URLSearchParams(location.search);
    const n = parseInt(p.get('offset') || '0', 10);
    return {
      q: p.get('q') || '',
      offset: Number.isFinite(n) && n > 0 ? n : 0,
      sort: p.get('sort') === 'date' ? 'date' : 'relevance',
      source: p.get('source') || '',
      type: p.get('type') || '',
      year: /^\d{4}$/.test(p.get('year') || '') ? p.get('year') : '',
    };
  }

  function pageURL(s) {
    const p = new URLSearchParams();
    if (s.q) p.set('q', s.q);
    if (s.sort !== 'relevance') p.set('sort', s.sort);
    for (const k of ['source', 'type', 'year']) if (s[k]) p.set(k, s[k]);
    if (s.offset) p.set('offset', String(s.offset));
    const qs = p.toString();
    return qs ? '/?' + qs : '/';
  }

  function apiURL(s) {
    const p = new URLSearchParams();
    p.set('q', s.q);
    p.set('limit', String(PAGE));
    p.set('offset', String(s.offset));
    p.set('sort', s.sort);
    p.set('facets', 'source,type,year');
    if (s.source) p.set('source', s.source);
    if (s.type) p.set('type', s.type);
    if (s.year) { p.set('from', s.year + '-01-01'); p.set('to', s.year + '-12-31'); }
    return '/api/search?' + p.toString();
  }

  // ---- search ----
  function go(next, push) {
    state = next;
    input.value = state.q;
    sortSel.value = state.sort;
    if (push) history.pushState(state, '', pageURL(state));
    document.title = state.q ? state.q + ' – Findling' : 'Findling – Suche';
    if (!state.q && !state.source && !state.type && !state.year) {
      clear();
      return;
    }
    run();
  }

  function clear() {
    statusEl.textContent = '';
    dymEl.hidden = true;
    resultsEl.replaceChildren();
    facetsEl.replaceChildren();
    pager.hidden = true;
  }

  async function run() {
    if (searchAbort) searchAbort.abort();
    searchAbort = new AbortController();
    statusEl.textContent = 'Suche läuft …';
    let data;
    try {
      const res = await fetch(apiURL(state), { signal: searchAbort.signal });
      data = await res.json();
      if (!res.ok) throw new Error(data && data.error ? data.error.message : 'HTTP ' + res.status);
    } catch (e) {
      if (e.name === 'AbortError') return;
      clear();
      statusEl.replaceChildren(el('span', { class: 'error', text: 'Fehler: ' + e.message }));
      return;
    }
    render(data);
  }

  function render(d) {
    const total = d.total || 0;
    const hits = d.hits || [];
    if (total === 0) {
      statusEl.textContent = state.q ? 'Keine Treffer für „' + state.q + '“' : 'Keine Treffer';
    } else {
      const first = state.offset + 1;
      const last = state.offset + hits.length;
      statusEl.textContent = total + ' Treffer' + (state.q ? ' für „' + state.q + '“' : '') +
        ' – Ergebnisse ' + first + '–' + last;
    }
    renderSuggestion(d.suggestion);
    resultsEl.replaceChildren(...hits.map(renderHit));
    renderFacets(d.facets || {});
    pager.hidden = total <= PAGE;
    $('prev').disabled = state.offset === 0;
    $('next').disabled = state.offset + PAGE >= total;
    $('page').textContent = 'Seite ' + (Math.floor(state.offset / PAGE) + 1) + ' von ' +
      Math.max(1, Math.ceil(total / PAGE));
  }

  function renderSuggestion(s) {
    if (!s || !s.text) { dymEl.hidden = true; return; }
    const a = el('a', { href: pageURL(Object.assign({}, state, { q: s.text, offset: 0 })) }, s.text);
    a.addEventListener('click', (ev) => {
      ev.preventDefault();
      go(Object.assign({}, state, { q: s.text, offset: 0 }), true);
    });
    dymEl.replaceChildren('Meinten Sie ', a, '?');
    dymEl.hidden = false;
  }

  // Snippet from plain text + [start, end) marks in code points.
  function snippet(text, marks) {
    const cps = Array.from(text || '');
    const p = el('p', { class: 'snippet' });
    let pos = 0;
    const sorted = (marks || []).slice().sort((a, b) => a[0] - b[0]);
    for (const [s, e] of sorted) {
      if (s < pos || e <= s || e > cps.length) continue;
      if (s > pos) p.append(document.createTextNode(cps.slice(pos, s).join('')));
      p.append(el('mark', {}, cps.slice(s, e).join('')));
      pos = e;
    }
    if (pos < cps.length) p.append(document.createTextNode(cps.slice(pos).join('')));
    return p;
  }

  function germanDate(d) {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(d || '');
    return m ? m[3] + '.' + m[2] + '.' + m[1] : (d || '');
  }

  function safeHref(u) {
    return /^https?:\/\//i.test(u || '') ? u : null;
  }

  function renderHit(h) {
    const href = safeHref(h.url) || '/api/documents/' + encodeURIComponent(h.id);
    const title = el('h2', {}, el('a', { href: href }, h.title || h.id));
    const meta = el('p', { class: 'meta' },
      h.source ? el('span', {}, 'Quelle: ' + h.source) : null,
      h.date ? el('span', {}, 'Datum: ' + germanDate(h.date)) : null,
      h.type ? el('span', {}, 'Typ: ' + h.type) : null);
    return el('li', {}, title, meta, snippet(h.snippet_text, h.marks));
  }

  function renderFacets(facets) {
    const parts = [];
    const activeNames = ['source', 'type', 'year'].filter((k) => state[k]);
    if (activeNames.length) {
      const box = el('div', {}, el('h2', {}, 'Aktive Filter'));
      for (const k of activeNames) {
        const b = el('button', { type: 'button', class: 'active-filter',
          'aria-label': FACET_LABEL[k] + ' ' + state[k] + ' entfernen' },
          FACET_LABEL[k] + ': ' + state[k] + ' ×');
        b.addEventListener('click', () => setFilter(k, ''));
        box.append(b);
      }
      parts.push(box);
    }
    for (const k of ['source', 'type', 'year']) {
      const values = facets[k];
      if (!values || !values.length) continue;
      const ul = el('ul');
      for (const v of values) {
        const on = state[k] === String(v.value);
        const b = el('button', { type: 'button', 'aria-pressed': on ? 'true' : 'false' },
          String(v.value), ' ', el('span', { class: 'count' }, '(' + v.count + ')'));
        b.addEventListener('click', () => setFilter(k, on ? '' : String(v.value)));
        ul.append(el('li', {}, b));
      }
      parts.push(el('div', {}, el('h2', {}, FACET_LABEL[k]), ul));
    }
    facetsEl.replaceChildren(...parts);
  }

  function setFilter(k, v) {
    const next = Object.assign({}, state, { offset: 0 });
    next[k] = v;
    go(next, true);
  }

  // ---- suggestions: ARIA combobox with a listbox popup ----
  function closeList() {
    list.hidden = true;
    list.replaceChildren();
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
    items = [];
  }

  function showList(texts) {
    items = texts;
    active = -1;
    input.removeAttribute('aria-activedescendant');
    if (!texts.length) { closeList(); return; }
    list.replaceChildren(...texts.map((t, i) => {
      const li = el('li', { id: 'sugg-' + i, role: 'option', 'aria-selected': 'false' }, t);
      li.addEventListener('mousedown', (ev) => { ev.preventDefault(); pick(i); });
      return li;
    }));
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  }

  function highlight(i) {
    const opts = list.querySelectorAll('[role=option]');
    if (!opts.length) return;
    active = (i + opts.length) % opts.length;
    opts.forEach((o, j) => o.setAttribute('aria-selected', j === active ? 'true' : 'false'));
    input.setAttribute('aria-activedescendant', opts[active].id);
    opts[active].scrollIntoView({ block: 'nearest' });
  }

  // A new query text starts from page 1 without the filters of the old
  // one (its facet values may not exist for the new query); the sort stays.
  function newQuery(q, sort) {
    const next = Object.assign({}, state, { q: q, offset: 0, sort: sort || state.sort });
    if (q !== state.q) next.source = next.type = next.year = '';
    go(next, true);
  }

  function pick(i) {
    const t = items[i];
    closeList();
    newQuery(t);
  }

  async function suggest() {
    const q = input.value;
    if (suggestAbort) suggestAbort.abort();
    if (!q.trim()) { closeList(); return; }
    suggestAbort = new AbortController();
    try {
      const res = await fetch('/api/suggest?limit=' + SUGGEST_LIMIT + '&q=' + encodeURIComponent(q),
        { signal: suggestAbort.signal });
      if (!res.ok) { closeList(); return; }
      const d = await res.json();
      if (input.value !== q || document.activeElement !== input) return;
      showList((d.suggestions || []).map((s) => s.text));
    } catch (e) {
      if (e.name !== 'AbortError') closeList();
    }
  }

  input.addEventListener('input', () => {
    clearTimeout(suggestTimer);
    suggestTimer = setTimeout(suggest, SUGGEST_DELAY);
  });
  input.addEventListener('keydown', (ev) => {
    const open = !list.hidden;
    if (ev.key === 'ArrowDown') {
      ev.preventDefault();
      if (open) highlight(active + 1); else suggest();
    } else if (ev.key === 'ArrowUp' && open) {
      ev.preventDefault();
      highlight(active - 1);
    } else if (ev.key === 'Enter' && open && active >= 0) {
      ev.preventDefault();
      pick(active);
    } else if (ev.key === 'Escape' && open) {
      ev.preventDefault();
      closeList();
    }
  });
  input.addEventListener('blur', () => setTimeout(closeList, 0));

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearTimeout(suggestTimer);
    if (suggestAbort) suggestAbort.abort();
    closeList();
    newQuery(input.value.trim(), sortSel.value);
  });
  sortSel.addEventListener('change', () => {
    if (state.q || state.source || state.type || state.year)
      go(Object.assign({}, state, { sort: sortSel.value, offset: 0 }), true);
  });
  $('prev').addEventListener('click', () =>
    go(Object.assign({}, state, { offset: Math.max(0, state.offset - PAGE) }), true));
  $('next').addEventListener('click', () =>
    go(Object.assign({}, state, { offset: state.offset + PAGE }), true));
  window.addEventListener('popstate', () => go(fromURL(), false));

  go(fromURL(), false);
}());
