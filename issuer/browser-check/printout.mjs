// Screenshots of "Check your printout" (/check) with a result, at desktop width and at 390 px, in
// headless Chromium (Debian's /usr/bin/chromium; nothing is downloaded): a printout of a visa
// valid today is rendered by `issuer render`, rasterised by pdftoppm at 150 dpi, and uploaded
// through the page's form. Fails if the page scrolls sideways at 390 px or trips the CSP.
//
// Usage (from the repository root, after `cargo build -p issuer`):
//   ISSUER_BIN=target/debug/issuer node issuer/browser-check/printout.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fail, issuerBin, launchBrowser, root, shots, startIssuer, watch } from './harness.mjs';

const bin = issuerBin;
const work = mkdtempSync(join(tmpdir(), 'issuer-check-'));

// A visa valid from today, issued this morning (UTC), signed by the development key.
const today = new Date().toISOString().slice(0, 10);
const visa = JSON.parse(readFileSync(join(root, 'shared/tests/vectors/visa.json'), 'utf8'));
visa.issued_at = `${today}T03:00:00Z`;
visa.valid_from = today;
writeFileSync(join(work, 'visa.json'), JSON.stringify(visa));
execFileSync(bin, ['render', '--key', join(root, 'keys/dev-issuer.key'), join(work, 'visa.json'), '--out', join(work, 'visa.pdf')], { cwd: root });
execFileSync('pdftoppm', ['-r', '150', '-gray', '-png', '-singlefile', join(work, 'visa.pdf'), join(work, 'scan')]);

const issuer = await startIssuer('printout', { port: '18092', sandboxPort: '18093', ready: '/check' });
const { base } = issuer;
const browser = await launchBrowser();
try {
  for (const [name, width, lang] of [['desktop', 1280, 'en'], ['390', 390, 'en'], ['390-kk', 390, 'kk']]) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    const problems = [];
    watch(page, problems);
    await page.goto(`${base}/check?lang=${lang}`);
    await page.setInputFiles('#f-file', join(work, 'scan.png'));
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    const verdict = await page.textContent('.verdict');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 0) fail(`/check scrolls sideways by ${overflow} px at ${width} px`);
    if (problems.length) fail(`console errors: ${problems.join('; ')}`);
    await page.screenshot({ path: join(shots, `check-${name}.png`), fullPage: true });
    console.log(`check-${name}.png: ${verdict.trim().replace(/\s+/g, ' ')}`);
    await context.close();
  }
} finally {
  await browser.close();
  issuer.stop();
}
