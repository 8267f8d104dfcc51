// unionkg SPARQL query page. Plain ES2020, no dependencies.
// Security rule: every string from the data or the server reaches the DOM through
// textContent or setAttribute (see el()); nothing is ever assigned to innerHTML.
'use strict';
document.documentElement.classList.add('js');

const ENDPOINT = '/sparql';
const MAX_ROWS = 5000; // rows rendered in the table; downloads carry everything
const ACCEPT = 'application/sparql-results+json, text/turtle;q=0.9';
const FORMATS = {
  table: [['json', 'JSON'], ['xml', 'XML'], ['csv', 'CSV'], ['tsv', 'TSV']],
  graph: [['ttl', 'Turtle'], ['nt', 'N-Triples'], ['rdf', 'RDF/XML'], ['jsonld', 'JSON-LD']],
};
const EXT = { json: 'srj', xml: 'srx', csv: 'csv', tsv: 'tsv', ttl: 'ttl', nt: 'nt', rdf: 'rdf', jsonld: 'jsonld' };
// Well-known vocabularies; the query's own PREFIX lines are added at run time.
const VOCABS = {
  skos: 'http://www.w3.org/2004/02/skos/core#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  org: 'http://www.w3.org/ns/org#',
  prov: 'http://www.w3.org/ns/prov#',
  oa: 'http://www.w3.org/ns/oa#',
  schema: 'http://schema.org/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  dcterms: 'http://purl.org/dc/terms/',
  owl: 'http://www.w3.org/2002/07/owl#',
  sh: 'http://www.w3.org/ns/shacl#',
};
const LANG_NAMES = { 'zh-hans': '中文', 'zh': '中文', 'zh-hant': '中文 (繁)', 'en': 'EN', 'zh-latn-pinyin': 'pinyin', 'zh-latn': 'pinyin' };

const $ = (id) => document.getElementById(id);
const ui = {};
let examples = [];
let controller = null; // AbortController of the running query
let tabEscapes = false; // after Esc, Tab moves focus instead of indenting

/** Create an element safely: attributes via setAttribute, children as text nodes or elements. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null) node.setAttribute(k, String(v));
  for (const c of children) if (c != null) node.append(c instanceof Node ? c : String(c));
  return node;
}

// ---------------------------------------------------------------- IRIs and terms

/** Prefix table: query prefixes win over built-ins; the page's own origin maps to id:/tu:. */
function prefixTable(query) {
  const table = { ...VOCABS, id: location.origin + '/id/', tu: location.origin + '/ontology#' };
  const re = /^\s*PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>\s]*)>/gim;
  for (const m of stripComments(query).matchAll(re)) if (m[2]) table[m[1] || ''] = m[2];
  // Longest namespace first so the most specific prefix wins.
  return Object.entries(table).sort((a, b) => b[1].length - a[1].length);
}

function shorten(iri, prefixes) {
  for (const [p, ns] of prefixes) {
    if (iri.length > ns.length && iri.startsWith(ns)) return `${p}:${iri.slice(ns.length)}`;
  }
  const onto = /^https?:\/\/[^/]+\/ontology#(.+)$/.exec(iri); // tu: under any base IRI
  if (onto) return `tu:${onto[1]}`;
  if (iri.startsWith(location.origin + '/')) return iri.slice(location.origin.length + 1);
  return iri;
}

const isWebIri = (s) => /^https?:\/\//i.test(s);

function langBadge(tag) {
  const name = LANG_NAMES[tag.toLowerCase()] || tag;
  return el('span', { class: 'badge lang', title: `language: ${tag}` }, name);
}

/** Render one RDF term from SPARQL JSON results into a table cell. */
function renderTerm(term, prefixes) {
  if (!term) return el('td', { class: 'unbound', title: 'unbound' }, '');
  const td = el('td');
  if (term.type === 'uri') {
    const label = shorten(term.value, prefixes);
    td.append(isWebIri(term.value)
      ? el('a', { href: term.value, title: term.value }, label)
      : el('span', { class: 'iri', title: term.value }, label));
  } else if (term.type === 'bnode') {
    td.append(el('span', { class: 'bnode' }, `_:${term.value}`));
  } else { // literal / typed-literal
    const lang = term['xml:lang'];
    td.append(el('span', lang ? { lang } : {}, term.value));
    if (lang) td.append(langBadge(lang));
    const dt = term.datatype;
    if (dt && dt !== VOCABS.xsd + 'string' && dt !== VOCABS.rdf + 'langString') {
      td.append(el('span', { class: 'badge dt', title: dt }, shorten(dt, prefixes)));
    }
  }
  return td;
}

// ---------------------------------------------------------------- query helpers

function stripComments(q) {
  // Drop # comments outside IRIs and strings (good enough for detecting the query form).
  return q.replace(/<[^>\s]*>|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|#[^\n]*/g, (m) => (m[0] === '#' ? '' : m));
}

/** 'graph' for CONSTRUCT/DESCRIBE, 'table' for SELECT/ASK (the default). */
function queryKind(q) {
  const body = stripComments(q).replace(/<[^>]*>/g, '<>');
  const m = /\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b/i.exec(body);
  return m && /^(CONSTRUCT|DESCRIBE)$/i.test(m[1]) ? 'graph' : 'table';
}

const queryUrl = (q, extra = '') => `${ENDPOINT}?query=${encodeURIComponent(q)}${extra}`;

function remember(q) {
  const url = new URL(location.href);
  url.search = `?query=${encodeURIComponent(q)}`;
  history.replaceState(null, '', url);
}

// ---------------------------------------------------------------- status, errors, downloads

function setStatus(text, running = false) {
  ui.status.textContent = text;
  ui.status.classList.toggle('running', running);
}

function showError(title, detail) {
  ui.error.replaceChildren(el('strong', {}, title));
  if (detail) ui.error.append(el('pre', {}, detail));
  ui.error.hidden = false;
}

function clearError() {
  ui.error.replaceChildren();
  ui.error.hidden = true;
}

function showDownloads(q, kind) {
  ui.downloads.replaceChildren(el('span', {}, 'Download:'));
  for (const [fmt, name] of FORMATS[kind]) {
    ui.downloads.append(el('a', { href: queryUrl(q, `&format=${fmt}`), download: `unionkg-results.${EXT[fmt]}` }, name));
  }
}

const plural = (n, word) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;
const seconds = (t0) => `${((performance.now() - t0) / 1000).toFixed(2)} s`;

// ---------------------------------------------------------------- results

function renderSelect(data, prefixes) {
  const vars = (data.head && data.head.vars) || [];
  const rows = (data.results && data.results.bindings) || [];
  const shown = rows.slice(0, MAX_ROWS);
  const thead = el('thead', {}, el('tr', {}, ...vars.map((v) => el('th', { scope: 'col' }, `?${v}`))));
  const tbody = el('tbody');
  const frag = document.createDocumentFragment();
  for (const row of shown) frag.append(el('tr', {}, ...vars.map((v) => renderTerm(row[v], prefixes))));
  tbody.append(frag);
  const table = el('table', {}, el('caption', {}, `${plural(rows.length, 'row')}, ${plural(vars.length, 'column')}`), thead, tbody);
  ui.results.replaceChildren(el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Result table' }, table));
  if (rows.length > shown.length) {
    ui.results.append(el('p', { class: 'note' }, `Showing the first ${plural(shown.length, 'row')}; use a download link for all of them.`));
  }
  return rows.length;
}

function renderBoolean(value) {
  ui.results.replaceChildren(el('p', { class: `boolean ${value}` }, value ? 'true — yes' : 'false — no'));
}

function renderGraph(text) {
  ui.results.replaceChildren(el('pre', { class: 'graph', tabindex: '0', 'aria-label': 'Result graph (Turtle)' }, text));
}

// ---------------------------------------------------------------- running

async function run() {
  const q = ui.query.value;
  if (!q.trim()) return;
  if (controller) controller.abort();
  const mine = (controller = new AbortController());
  remember(q);
  clearError();
  showDownloads(q, queryKind(q));
  ui.cancel.disabled = false;
  ui.results.setAttribute('aria-busy', 'true');
  const t0 = performance.now();
  setStatus('Running…', true);
  const timer = setInterval(() => setStatus(`Running… ${seconds(t0)}`, true), 250);
  try {
    // Short queries go by GET (cacheable, like the shared URL); long ones by POST.
    const url = queryUrl(q);
    const init = { headers: { Accept: ACCEPT }, signal: mine.signal };
    const res = url.length < 4000 ? await fetch(url, init)
      : await fetch(ENDPOINT, { ...init, method: 'POST', headers: { ...init.headers, 'Content-Type': 'application/sparql-query' }, body: q });
    const text = await res.text();
    if (mine !== controller) return; // superseded by a newer run
    const time = seconds(t0);
    if (!res.ok) {
      const retry = res.headers.get('Retry-After');
      showError(`Error ${res.status} ${res.statusText}${retry ? ` (retry after ${retry} s)` : ''}`, text);
      setStatus(`Failed after ${time}`);
      return;
    }
    const type = (res.headers.get('Content-Type') || '').toLowerCase();
    if (type.includes('json') && !type.includes('ld+json')) {
      const data = JSON.parse(text);
      const prefixes = prefixTable(q);
      if (typeof data.boolean === 'boolean') {
        renderBoolean(data.boolean);
        setStatus(`ASK: ${data.boolean} · ${time}`);
      } else {
        const n = renderSelect(data, prefixes);
        setStatus(`${plural(n, 'row')} · ${time}`);
      }
      showDownloads(q, 'table');
    } else {
      renderGraph(text);
      const triples = text.split('\n').filter((l) => /\.\s*$/.test(l) && !/^\s*@?prefix/i.test(l)).length;
      setStatus(`Graph: ${plural(text.length, 'character')} of Turtle (≈${plural(triples, 'statement')}) · ${time}`);
      showDownloads(q, 'graph');
    }
  } catch (err) {
    if (mine !== controller) return;
    if (err.name === 'AbortError') {
      setStatus(`Cancelled after ${seconds(t0)}`);
    } else {
      showError(err instanceof SyntaxError ? 'Unreadable response from the server' : 'Could not reach the endpoint', String(err.message || err));
      setStatus('Failed');
    }
  } finally {
    clearInterval(timer);
    if (mine === controller) {
      controller = null;
      ui.cancel.disabled = true;
      ui.results.removeAttribute('aria-busy');
    }
  }
}

function cancel() {
  if (controller) controller.abort();
}

// ---------------------------------------------------------------- editor and examples

function onEditorKey(e) {
  if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
    e.preventDefault();
    run();
  } else if (e.key === 'Escape') {
    tabEscapes = true;
  } else if (e.key === 'Tab' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey && !tabEscapes) {
    e.preventDefault();
    // execCommand keeps the browser's undo history; setRangeText is the fallback.
    if (!document.execCommand || !document.execCommand('insertText', false, '  ')) {
      ui.query.setRangeText('  ', ui.query.selectionStart, ui.query.selectionEnd, 'end');
    }
  } else if (e.key !== 'Shift') {
    tabEscapes = false;
  }
}

async function loadExamples(autoRunFirst) {
  try {
    const res = await fetch(`${ENDPOINT}/examples`, { headers: { Accept: 'application/json' } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    examples = await res.json();
  } catch (err) {
    ui.examples.replaceChildren(el('option', { value: '' }, 'Examples unavailable'));
    if (autoRunFirst) run();
    return;
  }
  const current = ui.query.value.trim();
  ui.examples.replaceChildren(el('option', { value: '' }, `Choose one of ${examples.length} example questions…`));
  examples.forEach((ex, i) => {
    const opt = el('option', { value: String(i), title: ex.file }, `${i + 1}. ${ex.question || ex.file}`);
    if (!autoRunFirst && ex.query.trim() === current) opt.selected = true;
    ui.examples.append(opt);
  });
  if (autoRunFirst && examples.length) {
    ui.examples.value = '0';
    ui.query.value = examples[0].query;
  }
  if (autoRunFirst) run();
}

function chooseExample() {
  const ex = examples[Number(ui.examples.value)];
  if (!ui.examples.value || !ex) return;
  ui.query.value = ex.query;
  ui.query.scrollTop = 0;
  run();
}

function init() {
  for (const id of ['form', 'query', 'examples', 'run', 'cancel', 'status', 'error', 'downloads', 'results', 'endpoint']) ui[id] = $(id);
  ui.endpoint.textContent = location.origin + ENDPOINT;
  ui.form.addEventListener('submit', (e) => { e.preventDefault(); run(); });
  ui.cancel.addEventListener('click', cancel);
  ui.examples.addEventListener('change', chooseExample);
  ui.query.addEventListener('keydown', onEditorKey);
  let pending = 0; // keep the URL in step with the editor for bookmarking
  ui.query.addEventListener('input', () => { clearTimeout(pending); pending = setTimeout(() => remember(ui.query.value), 500); });

  const fromUrl = new URLSearchParams(location.search).get('query');
  if (fromUrl && fromUrl.trim()) {
    ui.query.value = fromUrl;
    run();
    loadExamples(false);
  } else {
    loadExamples(true);
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
