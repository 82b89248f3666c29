// End-to-end test of the findling-searchd search page in headless Chromium
// (playwright-core driving Debian's /usr/bin/chromium). Run by
// tests/e2e/t310-page.sh against a daemon serving an index of corpus/:
//   node page.test.js BASE_URL OUT_DIR
// Prints TAP lines ("ok - ..." / "not ok - ...") and writes screenshots
// (suggestions.png, results.png, escaping.png, phone.png) into OUT_DIR.
// Every wait is bounded; the whole run is capped by RUN_LIMIT_MS.
'use strict';

const path = require('path');
const { chromium } = require('playwright-core');

const BASE = process.argv[2];
const OUT = process.argv[3] || '.';
const CHROMIUM = process.env.FL_CHROMIUM || '/usr/bin/chromium';
const WAIT_MS = 10000;       // longest wait for any one thing on the page
const RUN_LIMIT_MS = 120000; // whole run

let failed = 0;
function ok(cond, desc, detail) {
  if (cond) {
    console.log('ok - ' + desc);
  } else {
    failed++;
    console.log('not ok - ' + desc + (detail !== undefined ? ': ' + detail : ''));
  }
}

// Wait until fn() (evaluated in the page) is truthy; false on timeout.
async function until(page, fn, arg) {
  try {
    await page.waitForFunction(fn, arg, { timeout: WAIT_MS });
    return true;
  } catch (e) {
    return false;
  }
}

const text = (page, sel) => page.$eval(sel, (e) => e.textContent);
const statusText = (page) => text(page, '#status');
const hitTitles = (page) => page.$$eval('#results li h2', (l) => l.map((e) => e.textContent));
const params = (page) => Object.fromEntries(new URL(page.url()).searchParams);

// Wait for a finished search whose status line contains s.
function statusHas(page, s) {
  return until(page, (x) => {
    const t = document.getElementById('status').textContent;
    return t.includes(x) && !t.includes('läuft');
  }, s);
}

async function suggestions(page) {
  const input = page.locator('#q');
  await input.click();
  await page.keyboard.type('Leip', { delay: 40 });
  const shown = await until(page, () => {
    const l = document.getElementById('suggestions');
    return !l.hidden && l.querySelectorAll('[role=option]').length > 0;
  });
  ok(shown, 'typing "Leip" opens the suggestion list');
  const opts = shown ? await page.$$eval('#suggestions [role=option]', (l) => l.map((e) => e.textContent)) : [];
  ok(opts[0] === 'Leipzig', 'first suggestion is "Leipzig"', JSON.stringify(opts));
  ok(opts.every((o) => o.toLowerCase().startsWith('leip')), 'every suggestion completes the prefix', JSON.stringify(opts));
  ok(await input.getAttribute('aria-expanded') === 'true', 'combobox says aria-expanded=true');
  await page.keyboard.press('ArrowDown');
  const sel = await page.$eval('#suggestions', (l) =>
    [...l.querySelectorAll('[aria-selected=true]')].map((e) => e.id));
  ok(sel.length === 1 && await input.getAttribute('aria-activedescendant') === sel[0],
    'ArrowDown highlights one suggestion (aria-selected, aria-activedescendant)', JSON.stringify(sel));
  await page.screenshot({ path: path.join(OUT, 'suggestions.png') });
  await page.keyboard.press('Enter');
  ok(await statusHas(page, 'Treffer für „Leipzig“'), 'Enter on the suggestion searches for it',
    await statusText(page));
  ok(await page.$eval('#suggestions', (l) => l.hidden), 'the suggestion list closes after the pick');
  ok(await input.inputValue() === 'Leipzig', 'the search box holds the picked suggestion');
  ok(params(page).q === 'Leipzig', 'the URL carries q=Leipzig', page.url());
}

async function results(page) {
  const st = await statusText(page);
  const total = parseInt(st, 10);
  ok(total > 20 && /Ergebnisse 1–10$/.test(st), 'status line "N Treffer für „Leipzig“ – Ergebnisse 1–10"', st);
  ok((await hitTitles(page)).length === 10, '10 hits on the first page');
  const marks = await page.$$eval('#results .snippet mark', (l) => l.map((e) => e.textContent));
  ok(marks.length >= 5 && marks.every((m) => /^leipzig/i.test(m)),
    'snippets highlight the query word in <mark>', JSON.stringify(marks.slice(0, 12)));
  const meta = await page.$$eval('#results .meta', (l) => l.map((e) => e.textContent));
  ok(meta.some((m) => /Datum: \d\d\.\d\d\.\d{4}/.test(m)), 'dates are shown the German way (TT.MM.JJJJ)', meta[0]);
  ok(await text(page, '#page') === 'Seite 1 von ' + Math.ceil(total / 10), 'pager shows "Seite 1 von N"',
    await text(page, '#page'));
  ok(await page.$eval('#prev', (b) => b.disabled), '"Zurück" is disabled on page 1');
  return total;
}

async function facetPagingBack(page, total) {
  const first = (await hitTitles(page))[0];
  const facet = page.locator('#facets button', { hasText: /^news \(\d+\)$/ });
  const label = await facet.textContent().catch(() => '');
  const n = parseInt((label.match(/\((\d+)\)/) || [])[1], 10);
  ok(n > 10 && n < total, 'facet "Typ: news (N)" is offered', label);
  await facet.click();
  ok(await statusHas(page, n + ' Treffer'), 'the facet filters the results to its count', await statusText(page));
  ok(params(page).type === 'news', 'the URL carries type=news', page.url());
  const types = await page.$$eval('#results .meta', (l) => l.map((e) => e.textContent));
  ok(types.length > 0 && types.every((m) => m.includes('Typ: news')), 'every hit is of type news');
  ok(await page.locator('.active-filter').count() === 1, 'one active filter chip is shown');
  const page1 = await hitTitles(page);

  await page.click('#next');
  ok(await statusHas(page, 'Ergebnisse 11–'), '"Weiter" shows results 11–', await statusText(page));
  ok(await text(page, '#page') === 'Seite 2 von ' + Math.ceil(n / 10), 'pager shows "Seite 2"', await text(page, '#page'));
  const page2 = await hitTitles(page);
  ok(page2.length > 0 && !page2.some((t) => page1.includes(t)), 'page 2 holds other hits than page 1');
  ok(params(page).offset === '10', 'the URL carries offset=10', page.url());

  await page.goBack();
  ok(await statusHas(page, 'Ergebnisse 1–10'), 'back: page 1 again', await statusText(page));
  ok(JSON.stringify(await hitTitles(page)) === JSON.stringify(page1), 'back: the same hits as before on page 1');
  ok(params(page).type === 'news' && !params(page).offset, 'back: the URL is page 1 with the facet', page.url());

  await page.goBack();
  ok(await statusHas(page, total + ' Treffer für „Leipzig“'), 'back again: the unfiltered search', await statusText(page));
  ok((await hitTitles(page))[0] === first, 'back again: the same first hit as before the facet');
  ok(await page.locator('.active-filter').count() === 0, 'back again: no active filter');

  await page.goForward();
  ok(await statusHas(page, n + ' Treffer'), 'forward: the facet is applied again', await statusText(page));
}

async function escaping(page) {
  await page.fill('#q', 'script');
  await page.press('#q', 'Enter');
  ok(await statusHas(page, '1 Treffer für „script“'), 'a search for "script" finds the article', await statusText(page));
  ok(await page.locator('.active-filter').count() === 0 && !params(page).type,
    'a new query from the box drops the filters of the old one', page.url());
  ok(!await page.locator('#pager').isVisible(), 'no pager for a single page of hits');
  const title = await text(page, '#results li h2');
  ok(title.includes('Warum <b> nicht gleich <strong> ist'), 'title "<b> … <strong>" is shown as text', title);
  const snip = await text(page, '#results .snippet');
  // The article quotes <script> in several passages; whichever the
  // snippet picks, the tag must appear as text.
  ok(snip.includes('<script>'), 'snippet with "<script>" shows it as text', snip);
  const tags = await page.$$eval('#results b, #results strong, #results script, #results img', (l) => l.length);
  ok(tags === 0, 'no element was made from document text');
  const marks = await page.$$eval('#results .snippet mark', (l) => l.map((e) => e.textContent));
  ok(marks.length >= 1 && marks.every((m) => m === 'script'), 'the word "script" is highlighted (inside the tag text)',
    JSON.stringify(marks));
  await page.screenshot({ path: path.join(OUT, 'escaping.png'), fullPage: true });

  const evil = '<img src=x onerror=alert(1)>';
  await page.fill('#q', evil);
  await page.press('#q', 'Enter');
  ok(await until(page, (x) => document.getElementById('status').textContent.includes(x), evil),
    'a query with markup is echoed as text', await statusText(page));
  ok(await page.$$eval('img', (l) => l.length) === 0, 'the echoed query made no <img> element');
}

async function misc(page) {
  await page.goto(BASE + '/?q=Leipzg');
  ok(await until(page, () => !document.getElementById('didyoumean').hidden),
    '"Meinten Sie …?" appears for the typo "Leipzg"');
  ok(/^Meinten Sie Leipzig\?$/.test(await text(page, '#didyoumean')), 'it proposes "Leipzig"',
    await text(page, '#didyoumean'));
  await page.click('#didyoumean a');
  ok(await statusHas(page, 'Treffer für „Leipzig“'), 'following it searches for "Leipzig"');

  await page.goto(BASE + '/?q=Halle&offset=10');
  ok(await statusHas(page, 'Ergebnisse 11–'), 'a deep link with offset=10 opens page 2', await statusText(page));

  await page.goto(BASE + '/?q=Leipzig&sort=date');
  ok(await statusHas(page, 'Treffer'), 'sort=date from the URL searches');
  ok(await page.$eval('#sort', (s) => s.value) === 'date', 'the sort menu shows "Datum"');
  const dates = await page.$$eval('#results .meta', (l) => l.map((e) => {
    const m = /Datum: (\d\d)\.(\d\d)\.(\d{4})/.exec(e.textContent);
    return m ? m[3] + m[2] + m[1] : '';
  }));
  ok(dates.length > 1 && dates.every((d, i) => i === 0 || d <= dates[i - 1]), 'sorted by date, newest first',
    JSON.stringify(dates));

  await page.fill('#q', 'Ki');
  const shown = await until(page, () => !document.getElementById('suggestions').hidden);
  await page.keyboard.press('Escape');
  ok(shown && await page.$eval('#suggestions', (l) => l.hidden), 'Escape closes the suggestion list');

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(BASE + '/?q=Leipzig');
  ok(await statusHas(page, 'Treffer'), 'a phone-sized window shows results');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  ok(overflow <= 0, 'no horizontal scrolling at 390 px width', overflow + ' px too wide');
  const firstHitTop = await page.$eval('#results li', (e) => e.getBoundingClientRect().top);
  const facetsTop = await page.$eval('#facets', (e) => e.getBoundingClientRect().top);
  ok(firstHitTop < facetsTop && firstHitTop < 844, 'on a phone the first hit comes before the filters, on screen',
    'hit at ' + firstHitTop + ', filters at ' + facetsTop);
  await page.screenshot({ path: path.join(OUT, 'phone.png') });
  await page.setViewportSize({ width: 1200, height: 900 });

  await page.goto(BASE + '/?q=Zwergpinguinparadeweltmeister');
  ok(await statusHas(page, 'Keine Treffer für „Zwergpinguinparadeweltmeister“'), 'no hits: "Keine Treffer für …"',
    await statusText(page));
}

async function main() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 60000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const problems = [];
  try {
    const ctx = await browser.newContext({ locale: 'de-DE', viewport: { width: 1200, height: 900 } });
    ctx.setDefaultTimeout(WAIT_MS);
    const page = await ctx.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) problems.push('console: ' + m.text());
    });
    page.on('response', (r) => { if (r.status() >= 400) problems.push('HTTP ' + r.status() + ' for ' + r.url()); });
    page.on('pageerror', (e) => problems.push('page error: ' + e.message));
    page.on('dialog', (d) => { problems.push('dialog opened: ' + d.message()); d.dismiss(); });
    page.on('requestfailed', (r) => {
      if (!/ERR_ABORTED/.test(r.failure() ? r.failure().errorText : '')) problems.push('request failed: ' + r.url());
    });

    const resp = await page.goto(BASE + '/');
    ok(resp && resp.status() === 200, 'GET / answers 200');
    ok(await page.title() === 'Findling – Suche', 'page title "Findling – Suche"', await page.title());
    ok(await page.$eval('html', (h) => h.lang) === 'de', '<html lang="de">');
    ok((await page.getAttribute('#q', 'placeholder')).startsWith('Suche in'), 'German placeholder in the search box');
    ok(await page.evaluate(() => document.activeElement !== null), 'page scripts ran');
    ok(!await page.locator('#pager').isVisible() && !await page.locator('#suggestions').isVisible(),
      'an empty page shows neither pager nor suggestions');
    const icon = await page.request.get(BASE + '/favicon.svg');
    ok(icon.status() === 200 && icon.headers()['content-type'] === 'image/svg+xml', 'the page icon is served');

    await suggestions(page);
    const total = await results(page);
    await page.screenshot({ path: path.join(OUT, 'results.png'), fullPage: true });
    await facetPagingBack(page, total);
    await escaping(page);
    await misc(page);
    ok(problems.length === 0, 'no script errors, failed requests, dialogs or CSP violations',
      problems.join(' | '));
  } finally {
    await browser.close();
  }
}

const limit = setTimeout(() => {
  console.log('not ok - the browser test did not finish within ' + RUN_LIMIT_MS / 1000 + ' s');
  process.exit(1);
}, RUN_LIMIT_MS);
main().then(() => {
  clearTimeout(limit);
  process.exit(failed ? 1 : 0);
}, (e) => {
  console.log('not ok - browser test aborted: ' + String(e && e.stack || e).split('\n').slice(0, 4).join(' / '));
  process.exit(1);
});
