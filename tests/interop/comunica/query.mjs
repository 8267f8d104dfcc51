// Comunica (an independent SPARQL engine) queries unionkg's endpoint as a `sparql@` source.
// Usage: node query.mjs http://127.0.0.1:PORT/sparql
// Expected values are read from the endpoint directly over HTTP (fetch + SPARQL JSON) and compared with
// what Comunica computes. Prints one `ok ...` / `FAIL ...` line per check; exits 1 on any failure.
import { QueryEngine } from '@comunica/query-sparql';

const endpoint = process.argv[2];
if (!endpoint) {
  console.error('usage: node query.mjs http://127.0.0.1:PORT/sparql');
  process.exit(2);
}
const deadline = setTimeout(() => {
  console.log('FAIL comunica: the whole run took longer than 180 s');
  process.exit(1);
}, 180_000);

const PREFIXES = `PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX tu: <http://localhost:7878/ontology#>
PREFIX id: <http://localhost:7878/id/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
`;
const ACFTU = 'http://localhost:7878/id/acftu';
const DGB = 'http://localhost:7878/id/dgb';
const engine = new QueryEngine();
const context = { sources: [{ type: 'sparql', value: endpoint }], httpTimeout: 30_000, lenient: false };
let passed = 0;
let failed = 0;
// A failed HTTP response inside Comunica can surface as an 'error' event nobody listens to: count it, not crash.
for (const event of ['uncaughtException', 'unhandledRejection']) {
  process.on(event, (e) => {
    console.log(`FAIL comunica: ${event}: ${e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : e}`);
    console.log(`comunica: ${passed} of ${passed + failed + 1} checks passed`);
    process.exit(1);
  });
}

async function check(name, fn) {
  try {
    const [good, detail] = await fn();
    if (good) passed++; else failed++;
    console.log(`${good ? 'ok' : 'FAIL'} comunica: ${name}${good ? '' : `: ${detail}`}`);
  } catch (e) {
    failed++;
    console.log(`FAIL comunica: ${name}: ${e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : e}`);
  }
}

const termString = (term) => (term.termType === 'Literal' && term.language
  ? `${term.value}@${term.language.toLowerCase()}` : term.value);

// Comunica's rows as plain objects: var -> 'value' or 'value@lang'.
async function comunicaRows(query) {
  const stream = await engine.queryBindings(PREFIXES + query, context);
  const bindings = await stream.toArray();
  return bindings.map((b) => {
    const row = {};
    for (const [variable, term] of b) {
      row[variable.value] = termString(term);
    }
    return row;
  });
}

// The same query sent straight to the endpoint (POST application/sparql-query, JSON results).
async function directRows(query) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/sparql-query', accept: 'application/sparql-results+json' },
    body: PREFIXES + query,
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) throw new Error(`endpoint answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  const json = await response.json();
  return json.results.bindings.map((b) => {
    const row = {};
    for (const [k, t] of Object.entries(b)) {
      row[k] = t.type === 'literal' && t['xml:lang'] ? `${t.value}@${t['xml:lang'].toLowerCase()}` : t.value;
    }
    return row;
  });
}

const key = (row) => JSON.stringify(Object.keys(row).sort().map((k) => [k, row[k]]));
const sameRows = (a, b) => {
  const x = a.map(key).sort();
  const y = b.map(key).sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
};

await check("ACFTU's prefLabels (English and Chinese) through a sparql@ source", async () => {
  const rows = await comunicaRows(`SELECT ?label WHERE { id:acftu skos:prefLabel ?label }`);
  const labels = rows.map((r) => r.label);
  const good = labels.includes('All-China Federation of Trade Unions@en') && labels.includes('中华全国总工会@zh-hans');
  return [good, JSON.stringify(labels)];
});

await check('COUNT(*) over the union default graph: > 10000 and equal to the endpoint\'s own answer', async () => {
  const q = 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }';
  const [mine] = await comunicaRows(q);
  const [theirs] = await directRows(q);
  const n = Number(mine.n);
  return [n > 10000 && n === Number(theirs.n), `comunica ${mine.n}, endpoint ${theirs.n}`];
});

await check('join across two triple patterns (organisations with English labels) equals the endpoint\'s rows', async () => {
  const q = `SELECT ?org ?label WHERE { ?org a tu:Organisation . ?org skos:prefLabel ?label . FILTER(LANGMATCHES(LANG(?label), "en")) }`;
  const mine = await comunicaRows(q);
  const theirs = await directRows(q);
  const orgs = new Set(mine.map((r) => r.org));
  const good = mine.length > 10 && orgs.has(ACFTU) && orgs.has(DGB) && sameRows(mine, theirs);
  return [good, `comunica ${mine.length} rows, endpoint ${theirs.length} rows`];
});

await check('federated join computed by Comunica (local Turtle source x endpoint) equals the endpoint\'s rows', async () => {
  // With a second (in-memory) source Comunica cannot push the query down whole: it asks the endpoint for each
  // triple pattern (plus COUNT queries for its join planning) and joins the bindings itself.
  const local = `<${ACFTU}> <urn:unionkg:test#picked> true . <${DGB}> <urn:unionkg:test#picked> true .`;
  const sources = [{ type: 'sparql', value: endpoint }, { type: 'serialized', value: local, mediaType: 'text/turtle' }];
  const stream = await engine.queryBindings(`${PREFIXES} SELECT ?org ?label WHERE {
    ?org <urn:unionkg:test#picked> true . ?org a tu:Organisation ; skos:prefLabel ?label }`, { ...context, sources });
  const mine = (await stream.toArray()).map((b) => ({ org: b.get('org').value, label: termString(b.get('label')) }));
  const theirs = await directRows(`SELECT ?org ?label WHERE { VALUES ?org { id:acftu id:dgb } ?org a tu:Organisation ; skos:prefLabel ?label }`);
  const good = mine.some((r) => r.org === ACFTU && r.label === 'All-China Federation of Trade Unions@en')
    && mine.some((r) => r.org === DGB) && sameRows(mine, theirs);
  return [good, `comunica ${JSON.stringify(mine)}, endpoint ${theirs.length} rows`];
});

await check('join with OPTIONAL and ORDER BY/LIMIT (delegation visits with a label) equals the endpoint', async () => {
  const q = `SELECT ?visit ?label WHERE { ?visit a tu:DelegationVisit . OPTIONAL { ?visit skos:prefLabel ?label } }
    ORDER BY ?visit ?label LIMIT 25`;
  const mine = await comunicaRows(q);
  const theirs = await directRows(q);
  return [mine.length > 0 && JSON.stringify(mine) === JSON.stringify(theirs), `comunica ${mine.length}, endpoint ${theirs.length}`];
});

await check('GROUP BY count of records per class equals the endpoint', async () => {
  const q = `SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?class . FILTER(STRSTARTS(STR(?class), STR(tu:))) } GROUP BY ?class`;
  const mine = await comunicaRows(q);
  const theirs = await directRows(q);
  const classes = new Set(mine.map((r) => r.class));
  const good = ['DelegationVisit', 'Organisation', 'Person'].every((c) => classes.has(`http://localhost:7878/ontology#${c}`))
    && sameRows(mine, theirs);
  return [good, `comunica ${JSON.stringify(mine.slice(0, 5))}, endpoint ${theirs.length} rows`];
});

await check('ASK true and false', async () => {
  const yes = await engine.queryBoolean(`${PREFIXES} ASK { id:acftu a tu:Organisation }`, context);
  const no = await engine.queryBoolean(`${PREFIXES} ASK { id:acftu a tu:Person }`, context);
  return [yes === true && no === false, `${yes} ${no}`];
});

await check('CONSTRUCT: the ACFTU\'s triples, as many as the endpoint counts', async () => {
  const stream = await engine.queryQuads(`${PREFIXES} CONSTRUCT { id:acftu ?p ?o } WHERE { id:acftu ?p ?o }`, context);
  const quads = await stream.toArray();
  const [theirs] = await directRows('SELECT (COUNT(*) AS ?n) WHERE { id:acftu ?p ?o }');
  const hasLabel = quads.some((q) => q.predicate.value === 'http://www.w3.org/2004/02/skos/core#prefLabel'
    && q.object.value === 'All-China Federation of Trade Unions' && q.object.language === 'en');
  return [hasLabel && quads.length === Number(theirs.n), `${quads.length} quads vs ${theirs.n}`];
});

clearTimeout(deadline);
console.log(`comunica: ${passed} of ${passed + failed} checks passed`);
process.exit(failed === 0 ? 0 : 1);
