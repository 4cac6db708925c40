// axe-core (npm, pinned in package.json) run on a page that Playwright drives, for any browser
// check to import. The pages' Content-Security-Policy forbids inline and evaluated scripts, so
// axe's source is handed to the page through the DevTools protocol (`page.evaluate`), which the
// CSP does not govern; nothing is added to the page's own HTML.
//
//   import { Axe } from './axe.mjs';
//   const axe = new Axe();
//   await axe.check(page, 'login (en)');   // records the page's violations
//   axe.report();                          // prints them; throws on any serious or critical one
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The impacts that fail the check; `moderate` and `minor` are only summarised. */
export const FAILING = new Set(['serious', 'critical']);

export class Axe {
  constructor() {
    /** Every violation seen: `{ page, id, impact, help, targets }`. */
    this.violations = [];
    /** The names of the pages checked, in order. */
    this.pages = [];
  }

  /**
   * Runs axe on the page as it is now (WCAG 2.0–2.2 A and AA rules plus axe's best practices) and
   * records what it finds under `name`. Returns that page's violations.
   */
  async check(page, name) {
    const injected = await page.evaluate(() => typeof window.axe === 'object').catch(() => false);
    if (!injected) await page.evaluate(source);
    const result = await page.evaluate(() => window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    }).then((r) => r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => `${n.target.join(' ')}${n.failureSummary ? ` — ${n.failureSummary.split('\n').slice(1).join(' ').trim()}` : ''}`),
    }))));
    const found = result.map((v) => ({ page: name, ...v }));
    this.violations.push(...found);
    this.pages.push(name);
    return found;
  }

  /** The violations that fail the check. */
  failing() {
    return this.violations.filter((v) => FAILING.has(v.impact));
  }

  /**
   * Prints a summary (moderate and minor ones counted by rule) and every failing violation with
   * its elements; throws if there is any failing one.
   */
  report() {
    const byRule = new Map();
    for (const v of this.violations) {
      const key = `${v.impact} ${v.id}`;
      const entry = byRule.get(key) ?? { pages: [], nodes: 0, help: v.help, targets: new Set() };
      entry.pages.push(v.page);
      entry.nodes += v.targets.length;
      for (const t of v.targets) entry.targets.add(t.split(' — ')[0]);
      byRule.set(key, entry);
    }
    console.log(`axe-core: ${this.pages.length} pages checked, ${this.violations.length} violations`);
    for (const [key, e] of [...byRule].sort()) {
      console.log(`  ${key}: ${e.nodes} elements on ${e.pages.length} pages (${e.help})`);
      console.log(`    pages: ${e.pages.slice(0, 6).join(', ')}${e.pages.length > 6 ? ', …' : ''}`);
      console.log(`    elements: ${[...e.targets].slice(0, 4).join(', ')}`);
    }
    const failing = this.failing();
    if (failing.length) {
      const lines = failing.map((v) => `${v.page}: ${v.impact} ${v.id} (${v.help})\n    ${v.targets.join('\n    ')}`);
      throw new Error(`axe-core found ${failing.length} serious or critical violations:\n${lines.join('\n')}`);
    }
  }
}
