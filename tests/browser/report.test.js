// Loads golayout HTML reports in headless Chromium (Debian's /usr/bin/chromium,
// no browser download) and checks them against the fixtures' truth.
//
// usage: node report.test.js ARTIFACT_DIR CASE.json
// CASE.json lists {name, html, oracle?, search?, diff?, zoom?, large?} entries
// (written by run.sh). For each case it checks: no console errors or page
// errors, no network request, the Go class boxes drawn at the top levels
// carry the byte counts of Go's readers (runtime.e<class> - runtime.<class>
// in oracle.json), the legend exposes the same counts, search finds a known
// variable and highlights a box, zoom and the file-bytes toggle work; it
// saves a screenshot of each view and prints the load time.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const [artifacts, casesFile] = process.argv.slice(2);
if (!artifacts || !casesFile) {
  console.error('usage: node report.test.js ARTIFACT_DIR CASES.json');
  process.exit(2);
}
fs.mkdirSync(artifacts, { recursive: true });
const cases = JSON.parse(fs.readFileSync(casesFile, 'utf8'));
const CLASSES = ['noptrdata', 'data', 'bss', 'noptrbss', 'rodata'];

let failures = 0;
function check(ok, what) {
  if (ok) console.log('  ok   ' + what);
  else { failures++; console.log('  FAIL ' + what); }
}

// Byte counts of the Go classes from Go's own readers.
function truthClasses(oracleFile) {
  const sym = JSON.parse(fs.readFileSync(oracleFile, 'utf8')).runtime_symbols || {};
  const out = {};
  for (const c of CLASSES) {
    const a = sym['runtime.' + c], b = sym['runtime.e' + c];
    if (a !== undefined && b !== undefined) out[c] = b - a;
  }
  return out;
}

async function runCase(browser, c) {
  console.log(`== ${c.name}`);
  const page = await browser.newPage();
  const errors = [];
  const requests = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
  const url = 'file://' + path.resolve(c.html);
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__golayout && window.__golayout.ready, null, { timeout: 30000 });
  const st = await page.evaluate(() => ({ firstPaintMs: __golayout.firstPaintMs, readyMs: __golayout.readyMs, nodes: __golayout.nodes, diff: __golayout.diff }));
  const mb = (fs.statSync(c.html).size / 1e6).toFixed(1);
  console.log(`  load: first treemap paint at ${st.firstPaintMs.toFixed(0)} ms after navigation start, tables at ${st.readyMs.toFixed(0)} ms (${st.nodes} symbols, ${mb} MB page)`);
  if (c.large) check(st.firstPaintMs < 2000, `large report paints in under 2 s (${st.firstPaintMs.toFixed(0)} ms)`);
  await page.screenshot({ path: path.join(artifacts, c.name + '.png') });

  // The class boxes: drawn near the top, with Go's byte counts.
  const boxes = await page.evaluate(() => __golayout.boxes());
  const legend = await page.$$eval('#legend li[data-class]', (els) => els.map((e) => ({ cls: e.dataset.class, vm: +e.dataset.vm, file: +e.dataset.file })));
  if (c.oracle) {
    const truth = truthClasses(c.oracle);
    check(Object.keys(truth).length === CLASSES.length, 'oracle has the five class bounds');
    for (const [cls, bytes] of Object.entries(truth)) {
      const drawn = boxes.filter((b) => b.kind === 'class' && b.name === cls && b.depth <= 2);
      const sum = drawn.reduce((s, b) => s + b.bytes, 0);
      const lg = legend.find((l) => l.cls === cls);
      if (!c.large) check(drawn.length > 0 && sum === bytes, `box ${cls}: drawn ${sum} bytes, truth ${bytes}`);
      check(lg && lg.vm === bytes, `legend ${cls}: ${lg && lg.vm} bytes, truth ${bytes}`);
    }
    const tops = boxes.filter((b) => b.depth === 1).map((b) => b.name);
    check(tops.length > 0, 'top-level boxes: ' + tops.join(', '));
  }
  if (c.search) {
    const found = await page.evaluate((q) => __golayout.search(q).map((n) => n.name), c.search);
    check(found.includes(c.search), `search finds ${c.search}`);
    const count = await page.textContent('#search-count');
    check(/\d+ match/.test(count), `search count shown: "${count}"`);
    const hl = (await page.evaluate(() => __golayout.boxes())).filter((b) => b.hl);
    check(hl.length > 0, `search highlights ${hl.length} box(es)`);
    await page.screenshot({ path: path.join(artifacts, c.name + '-search.png') });
    await page.evaluate(() => __golayout.search(''));
  }
  if (c.zoom) {
    const ok = await page.evaluate((p) => __golayout.zoom(p), c.zoom);
    const crumbs = await page.$$eval('#crumbs span', (els) => els.length);
    check(ok && crumbs === c.zoom.length + 1, `zoom into ${c.zoom.join(' › ')} (${crumbs} crumbs)`);
    const inside = await page.evaluate(() => __golayout.boxes().filter((b) => b.depth === 1).length);
    check(inside > 0, `zoomed view draws ${inside} boxes`);
    await page.screenshot({ path: path.join(artifacts, c.name + '-zoom.png') });
    await page.click('#crumbs span:first-child');
    check((await page.evaluate(() => __golayout.view().length)) === 1, 'breadcrumb goes back to the root');
  }
  // A real click on the largest top-level box zooms into it.
  const big = (await page.evaluate(() => __golayout.boxes())).filter((b) => b.depth === 1).sort((a, b) => b.w * b.h - a.w * a.h)[0];
  if (big) {
    const r = await page.$eval('#treemap', (e) => { const b = e.getBoundingClientRect(); return { x: b.left, y: b.top }; });
    await page.mouse.move(r.x + big.x + big.w / 2, r.y + big.y + big.h / 2);
    const tip = await page.textContent('#tip');
    check(tip.length > 0, 'hover shows a tooltip');
    await page.mouse.click(r.x + big.x + big.w / 2, r.y + big.y + big.h / 2);
    const zoomed = await page.evaluate(() => __golayout.view());
    check(zoomed.length > 1 && zoomed[1] === big.name, `click zooms into ${zoomed.slice(1).join(' › ')}`);
    await page.keyboard.press('Escape');
    check((await page.evaluate(() => __golayout.view().length)) === zoomed.length - 1, 'Escape goes up one level');
    await page.click('#crumbs span:first-child');
  }
  await page.click('#mode-file');
  const fileBoxes = await page.evaluate(() => __golayout.boxes());
  check(!fileBoxes.some((b) => b.kind === 'class' && (b.name === 'bss' || b.name === 'noptrbss')), 'file view has no bss/noptrbss boxes');
  await page.click('#mode-vm');
  const rows = await page.$$eval('#top-vars tbody tr', (els) => els.length);
  check(rows > 0, `table of largest symbols has ${rows} rows`);
  await page.click('#top-vars th:first-child');
  check((await page.$$eval('#top-vars th.sorted', (e) => e.map((x) => x.textContent))).join() === 'Name', 'table sorts by a clicked column');
  if (st.diff) {
    const coloured = boxes.filter((b) => b.old !== b.bytes).length;
    check(coloured > 0, `diff marks ${coloured} changed boxes`);
  }
  check(errors.length === 0, 'no console errors' + (errors.length ? ': ' + errors.join(' | ') : ''));
  check(requests.length === 0, 'no network requests' + (requests.length ? ': ' + requests.join(' ') : ''));
  await page.close();
  return { name: c.name, firstPaintMs: Math.round(st.firstPaintMs), symbols: st.nodes, pageMB: +mb };
}

(async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'golayout-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const results = [];
  try {
    for (const c of cases) results.push(await runCase(browser, c));
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  fs.writeFileSync(path.join(artifacts, 'load-times.json'), JSON.stringify(results, null, 2) + '\n');
  console.log(failures ? `${failures} check(s) failed` : 'all browser checks passed');
  process.exit(failures ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(1); });
