// Checks of the page as a room sees it, computed in the page from computed styles: which
// elements lie inside the viewport, the smallest text, and the contrast of control borders and
// focus rings (WCAG 2 relative luminance).

// Page-side helpers, installed once per document: window.__room.
const INSTALL = () => {
  const parse = (colour) => {
    const m = colour.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/);
    return m ? { rgb: [+m[1], +m[2], +m[3]], alpha: m[4] === undefined ? 1 : +m[4] } : null;
  };
  const luminance = (rgb) => {
    const [r, g, b] = rgb.map((v) => {
      const c = v / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => p - q);
    return (y + 0.05) / (x + 0.05);
  };
  const blend = (top, under) => top.rgb.map((v, i) => v * top.alpha + under[i] * (1 - top.alpha));
  // The colour behind an element: the first ancestor with a background, over the page's.
  const backdrop = (element) => {
    const layers = [];
    for (let e = element.parentElement; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg && bg.alpha > 0) {
        layers.push(bg);
        if (bg.alpha === 1) break;
      }
    }
    return layers.reverse().reduce((under, layer) => blend(layer, under), [255, 255, 255]);
  };
  const shown = (e) => {
    const r = e.getBoundingClientRect();
    const s = getComputedStyle(e);
    return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && e.checkVisibility({ opacityProperty: true });
  };
  const describe = (e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className && typeof e.className === 'string' ? `.${e.className.split(' ')[0]}` : ''} “${(e.textContent || e.value || '').trim().slice(0, 30)}”`;
  window.__room = { parse, contrast, backdrop, shown, describe };
};

async function install(page) {
  if (!(await page.evaluate(() => Boolean(window.__room)))) await page.evaluate(INSTALL);
}

// Selectors whose elements are not wholly inside the viewport (or not shown).
export async function outsideViewport(page, selectors) {
  return page.evaluate((list) => {
    const { innerWidth: w, innerHeight: h } = window;
    return list.filter((selector) => {
      const e = document.querySelector(selector);
      if (!e) return true;
      const r = e.getBoundingClientRect();
      return !(r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.right <= w + 0.5 && r.bottom <= h + 0.5);
    });
  }, selectors);
}

// Every piece of text shown (text nodes, and the values of controls) with its size on screen
// in CSS px (SVG text scaled by its transform); returns those under minPx.
export async function smallText(page, minPx) {
  await install(page);
  return page.evaluate((min) => {
    const { shown, describe } = window.__room;
    const small = [];
    const sizeOf = (e) => {
      const px = parseFloat(getComputedStyle(e).fontSize);
      const svg = e.closest('svg');
      if (!svg || !e.getScreenCTM) return px;
      const m = e.getScreenCTM();
      return px * Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const e = node.parentElement;
      if (!node.textContent.trim() || seen.has(e) || ['OPTION', 'SCRIPT', 'STYLE'].includes(e.tagName)) continue;
      seen.add(e);
      if (shown(e) && sizeOf(e) < min) small.push(`${describe(e)}: ${sizeOf(e).toFixed(1)} px`);
    }
    for (const e of document.querySelectorAll('select, input:not([type=radio]):not([type=checkbox]):not([type=range]), button'))
      if (shown(e) && sizeOf(e) < min) small.push(`${describe(e)}: ${sizeOf(e).toFixed(1)} px`);
    return small;
  }, minPx);
}

// Controls whose boundary (border, else background) has less than minRatio contrast with what
// is around them; disabled controls are exempt (WCAG 1.4.11), as are native radio buttons,
// checkboxes and sliders (drawn by the browser) and text-only buttons without a boundary.
export async function weakBorders(page, minRatio) {
  await install(page);
  return page.evaluate((min) => {
    const { parse, contrast, backdrop, shown, describe } = window.__room;
    const weak = [];
    const check = (e, style, what) => {
      const behind = backdrop(e);
      const width = parseFloat(style.borderTopWidth);
      const border = parse(style.borderTopColor);
      const fill = parse(style.backgroundColor);
      let boundary = null;
      if (width > 0 && style.borderTopStyle !== 'none' && border.alpha > 0) boundary = border;
      else if (fill && fill.alpha > 0) boundary = fill;
      if (!boundary) return;
      const ratio = contrast(boundary.rgb.map((v, i) => v * boundary.alpha + behind[i] * (1 - boundary.alpha)), behind);
      if (ratio < min) weak.push(`${what} ${describe(e)}: ${ratio.toFixed(2)}:1 (${style.borderTopColor} on rgb(${behind.map(Math.round)}))`);
    };
    for (const e of document.querySelectorAll('button, select, input[type=text], input[type=number], input[type=file]')) {
      if (e.disabled || !shown(e)) continue;
      if (e.type === 'file') check(e, getComputedStyle(e, '::file-selector-button'), 'file button');
      else check(e, getComputedStyle(e), 'control');
    }
    return weak;
  }, minRatio);
}

// Tabs through the first `count` focusable elements; returns those whose focus ring is missing,
// thinner than 2 px or of less than minRatio contrast with what is around it.
export async function weakFocusRings(page, count, minRatio) {
  await install(page);
  await page.evaluate(() => document.activeElement?.blur());
  await page.mouse.click(1, 1); // focus starts at the top of the page
  const weak = [];
  for (let i = 0; i < count; ++i) {
    await page.keyboard.press('Tab');
    const problem = await page.evaluate((min) => {
      const { parse, contrast, backdrop, describe } = window.__room;
      const e = document.activeElement;
      if (!e || e === document.body) return null;
      const s = getComputedStyle(e);
      const colour = parse(s.outlineColor);
      const width = parseFloat(s.outlineWidth);
      if (s.outlineStyle === 'none' || width < 2 || !colour) return `${describe(e)}: no focus ring (${s.outlineStyle} ${s.outlineWidth})`;
      const ratio = contrast(colour.rgb, backdrop(e));
      return ratio < min ? `${describe(e)}: focus ring ${ratio.toFixed(2)}:1` : null;
    }, minRatio);
    if (problem) weak.push(problem);
  }
  return weak;
}
