// Drives unionkg's SPARQL query page in the system Chromium (playwright-core, no browser download).
// Usage: node query-page.mjs http://127.0.0.1:PORT/ SCREENSHOT.png
// Prints one `ok ...` / `FAIL ...` line per check; exits 1 on any failure.
import { chromium } from 'playwright-core';

const [base, screenshot] = process.argv.slice(2);
if (!base || !screenshot) {
  console.error('usage: node query-page.mjs http://127.0.0.1:PORT/ SCREENSHOT.png');
  process.exit(2);
}
const origin = new URL(base).origin;
const pageUrl = `${origin}/sparql`;
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
let passed = 0;
let failed = 0;
let browser;

function report(good, name, detail = '') {
  if (good) passed++; else failed++;
  console.log(`${good ? 'ok' : 'FAIL'} browser: ${name}${good || !detail ? '' : `: ${detail}`}`);
  return good;
}

async function finish(code) {
  if (browser) await browser.close().catch(() => {});
  console.log(`browser: ${passed} of ${passed + failed} checks passed`);
  process.exit(code);
}

const deadline = setTimeout(() => {
  report(false, 'the whole run took longer than 150 s');
  finish(1);
}, 150_000);

async function check(name, fn) {
  try {
    const [good, detail] = await fn();
    return report(good, name, detail);
  } catch (e) {
    return report(false, name, String(e && e.message ? e.message.split('\n')[0] : e));
  }
}

/** Wait until the query settles; return #status, or throw with #status and #error if it shows no rows. */
async function waitForRows(page) {
  await page.waitForFunction(() => {
    const s = document.querySelector('#status');
    const t = s ? s.textContent : '';
    return !/Running/.test(t) && (/\b[\d,]+ rows?\b/.test(t) || /Failed|Cancelled/.test(t));
  }, null, { timeout: 30_000 });
  const status = (await page.textContent('#status')).trim();
  if (!/\b[\d,]+ rows?\b/.test(status)) {
    const error = (await page.textContent('#error')).trim().replace(/\s+/g, ' ').slice(0, 300);
    throw new Error(`the page shows "${status}", #error: "${error}"`);
  }
  return status;
}

try {
  browser = await chromium.launch({
    executablePath,
    headless: true,
    timeout: 30_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  console.log(`browser: Chromium ${browser.version()} via playwright-core`);
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.setDefaultTimeout(30_000);
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('dialog', (d) => { pageErrors.push(`unexpected dialog: ${d.message()}`); d.dismiss().catch(() => {}); });

  await check('GET /sparql as a browser answers an HTML page with the query form', async () => {
    const res = await page.goto(pageUrl, { waitUntil: 'domcontentloaded' });
    const type = res.headers()['content-type'] || '';
    const parts = await page.evaluate(() => ['query', 'examples', 'run', 'results', 'status', 'error', 'downloads']
      .filter((id) => !document.getElementById(id)));
    return [res.status() === 200 && type.startsWith('text/html') && parts.length === 0,
      `status ${res.status()}, content-type ${type}, missing #${parts.join(', #')}`];
  });

  let examples = [];
  await check('#examples fills with the example questions', async () => {
    await page.waitForFunction(() => document.querySelectorAll('#examples option[value]:not([value=""])').length > 0);
    examples = await page.$$eval('#examples option', (os) => os.filter((o) => o.value !== '').map((o) => ({ value: o.value, text: o.textContent })));
    return [examples.length > 0, `${examples.length} options`];
  });

  await check('choosing an example and pressing #run fills #results with a table and #status with its row count', async () => {
    // An example whose answer has rows; its expected row count comes straight from the endpoint.
    const list = await (await fetch(`${origin}/sparql/examples`, { headers: { accept: 'application/json' } })).json();
    let chosen = null;
    for (const [i, ex] of list.entries()) {
      const r = await fetch(pageUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/sparql-query', accept: 'application/sparql-results+json' },
        body: ex.query,
        signal: AbortSignal.timeout(30_000),
      });
      const json = r.ok ? await r.json() : null;
      const n = json && json.results ? json.results.bindings.length : 0;
      if (n > 0 && n <= 5000 && i > 0) { chosen = { i, n, ex }; break; }
    }
    if (!chosen) return [false, 'no example (after the first) returns rows when sent to the endpoint directly'];
    await waitForRows(page); // the page runs the first example on load; let it finish
    await page.selectOption('#examples', String(chosen.i));
    const editor = await page.inputValue('#query');
    await page.click('#run');
    const status = await waitForRows(page);
    const rows = await page.locator('#results table tbody tr').count();
    const errorShown = await page.isVisible('#error');
    const shownCount = Number((/([\d,]+) rows?/.exec(status) || ['', '-1'])[1].replace(/,/g, ''));
    const good = editor.trim() === chosen.ex.query.trim() && rows === chosen.n && shownCount === chosen.n && !errorShown;
    return [good, `example ${chosen.i + 1}: table ${rows} rows, status "${status}", endpoint ${chosen.n} rows, error shown ${errorShown}`];
  });

  await check(`screenshot written to ${screenshot}`, async () => {
    await page.screenshot({ path: screenshot, fullPage: false });
    return [true, ''];
  });

  await check('#downloads offers result files for the query', async () => {
    const links = await page.$$eval('#downloads a', (as) => as.map((a) => a.getAttribute('href')));
    return [links.length > 0 && links.every((h) => h.startsWith('/sparql?')), JSON.stringify(links)];
  });

  const xss = '<script>window.__pwned=1</script>';
  const img = '<img src=x onerror="window.__pwned=2">';
  const xssQuery = `SELECT ?x ?y WHERE { BIND("${xss}" AS ?x) BIND('${img}' AS ?y) }`;
  await check('result text with <script> and <img onerror> is shown as text and not executed', async () => {
    await page.fill('#query', xssQuery);
    await page.click('#run');
    await waitForRows(page);
    await page.waitForTimeout(500); // give an injected onerror handler time to fire
    const pwned = await page.evaluate(() => window.__pwned);
    const cells = await page.$$eval('#results table tbody td', (tds) => tds.map((td) => td.textContent));
    const injected = await page.$$eval('#results script, #results img', (n) => n.length);
    const visible = await page.getByText(xss, { exact: false }).first().isVisible();
    const good = pwned === undefined && injected === 0 && visible
      && cells.some((c) => c.includes(xss)) && cells.some((c) => c.includes(img));
    return [good, `__pwned ${pwned}, injected elements ${injected}, visible ${visible}, cells ${JSON.stringify(cells)}`];
  });

  await check('a query carried in the page URL (?query=) with </textarea><script> is not executed either', async () => {
    const evil = `SELECT ?x WHERE { BIND("</textarea><script>window.__pwned=3</script>" AS ?x) }`;
    await page.goto(`${pageUrl}?query=${encodeURIComponent(evil)}`, { waitUntil: 'domcontentloaded' });
    await waitForRows(page);
    await page.waitForTimeout(300);
    const pwned = await page.evaluate(() => window.__pwned);
    const editor = await page.inputValue('#query');
    return [pwned === undefined && editor === evil, `__pwned ${pwned}, editor ${JSON.stringify(editor)}`];
  });

  await check('no JavaScript errors or dialogs on the page', async () => [pageErrors.length === 0, pageErrors.join(' | ')]);
} catch (e) {
  report(false, 'could not drive the page', String(e && e.message ? e.message.split('\n')[0] : e));
}
clearTimeout(deadline);
await finish(failed === 0 ? 0 : 1);
