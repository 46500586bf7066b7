// WCAG 2 contrast of every visible text on a page, measured in the browser: each element with its
// own text, its colour against the first opaque background behind it. Returns what falls under AA
// (4.5:1, or 3:1 for large text); disabled controls are exempt, as WCAG says.
export const lowContrastTextsScript = `(() => {
  const parse = (colour) => {
    const match = /rgba?\\(([^)]+)\\)/.exec(colour);
    if (!match) return null;
    const [r, g, b, a = 1] = match[1].split(',').map(Number);
    return { r, g, b, a };
  };
  const channel = (value) => {
    const v = value / 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  };
  const luminance = ({ r, g, b }) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const backgroundOf = (node) => {
    for (let at = node; at; at = at.parentElement) {
      const colour = parse(getComputedStyle(at).backgroundColor);
      if (colour && colour.a > 0.5) return colour;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const failures = [];
  for (const node of document.querySelectorAll('body *')) {
    if (!(node instanceof HTMLElement) || node.getClientRects().length === 0 || node.closest(':disabled')) continue;
    if (![...node.childNodes].some((child) => child.nodeType === 3 && child.textContent.trim())) continue;
    const style = getComputedStyle(node);
    const a = luminance(parse(style.color));
    const b = luminance(backgroundOf(node));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) failures.push(node.tagName.toLowerCase() + '.' + node.className + ' "' + node.textContent.trim().slice(0, 40) + '": ' + ratio.toFixed(2) + ':1');
  }
  return failures;
})()`;
