// Opens a report in Chromium and says, for every exporter's note (class
// "note") and every statement, whether its characters are drawn left to
// right in the order they are written: right-to-left words typed by a
// participant, or a direction override they left open, must not reverse
// what the exporter wrote after them.
// Usage: node bidi.cjs FILE READERS_DIR
// Prints one line of JSON: { notes: [{ text, ltr }], statements: [...] }
'use strict';
const path = require('path');
const [file, readers] = process.argv.slice(2);
const { chromium } = require(path.join(readers, 'node_modules/playwright-core'));

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto('file://' + file);
    const out = await page.evaluate(() => {
      // The x of each character of `el`'s text, in writing order.
      function xs(el) {
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        const found = [];
        let node;
        while ((node = walker.nextNode())) {
          for (let i = 0; i < node.data.length; i++) {
            if (!/[A-Za-z0-9()]/.test(node.data[i])) continue;
            const r = document.createRange();
            r.setStart(node, i);
            r.setEnd(node, i + 1);
            const box = r.getBoundingClientRect();
            if (box.width > 0) found.push({ x: box.left, y: box.top });
          }
        }
        return found;
      }
      // Left to right along each line: a wrapped note starts its next line
      // at the left again.
      const ltr = (el) => {
        const p = xs(el);
        return p.every((v, i) => i === 0 || Math.abs(v.y - p[i - 1].y) > 2 || v.x >= p[i - 1].x);
      };
      return {
        notes: [...document.querySelectorAll('.note')].map((n) => ({ text: n.textContent, ltr: ltr(n) })),
      };
    });
    console.log(JSON.stringify(out));
  } finally {
    await browser.close();
  }
})().catch((e) => { console.log(JSON.stringify({ error: String(e && e.stack || e) })); process.exit(1); });
