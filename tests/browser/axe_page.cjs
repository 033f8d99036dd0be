// Opens a page from a file in Chromium, runs axe-core on it (WCAG 2.1 AA),
// and saves a screenshot. Usage: node axe_page.cjs FILE READERS_DIR SHOT
// Prints one line of JSON: { violations: [...] }
'use strict';
const path = require('path');
const fs = require('fs');
const [file, readers, shot] = process.argv.slice(2);
const { chromium } = require(path.join(readers, 'node_modules/playwright-core'));
const axeSource = fs.readFileSync(path.join(readers, 'node_modules/axe-core/axe.min.js'), 'utf8');

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto('file://' + file);
    await page.evaluate(axeSource);
    const result = await page.evaluate(() => window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    }));
    await page.screenshot({ path: shot, fullPage: true });
    console.log(JSON.stringify({
      violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.html) })),
    }));
  } finally {
    await browser.close();
  }
})().catch((e) => { console.log(JSON.stringify({ error: String(e && e.stack || e) })); process.exit(1); });
