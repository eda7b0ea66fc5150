// Whether a page fits the width it is shown at, for the browser journeys. Checking the document's
// scroll width alone is not enough: in a right-to-left page, and for left-to-right text inside one,
// whatever sticks out on the right is cut off rather than scrollable, so every box and every run of text
// is measured against the viewport too.
import type { Page } from 'playwright-core';

/**
 * What does not fit, in words; an empty list is a page that fits:
 * - the document scrolls sideways;
 * - a box or text lies outside the viewport's width (inside something that clips or scrolls sideways only
 *   that container is measured);
 * - a control is cut off by a container that clips it;
 * - text is drawn over other text or over a control (what a row does when its parts cannot wrap);
 * - something scrolls sideways without being a focusable, labelled region (`role="region"`, a name,
 *   `tabindex="0"`), so that keyboard and screen reader users can scroll it too;
 * - the page's heading (its first `h1`) is not on the first screen;
 * - a navigation landmark is hidden with no button (`aria-controls`, `aria-expanded="false"`) in view to
 *   show it.
 */
export function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const problems: string[] = [];
    /** An element as a selector-like path, up to the nearest id or test id (three steps at most). */
    const named = (element: Element, steps = 3): string => {
      const testid = element.getAttribute('data-testid');
      const classes = [...element.classList].filter((c) => !c.startsWith('svelte-')).slice(0, 2);
      const own = `${element.localName}${element.id ? `#${element.id}` : ''}${testid ? `[data-testid=${testid}]` : ''}${classes.map((c) => `.${c}`).join('')}`;
      const parent = element.parentElement;
      return parent && parent !== document.body && !element.id && !testid && steps > 1 ? `${named(parent, steps - 1)} > ${own}` : own;
    };
    const quoted = (node: Node) => `text “${node.textContent!.trim().replace(/\s+/g, ' ').slice(0, 30)}”`;
    /** What sticks out, by name: many alike (the cells of a row) are one line. */
    const outliers = new Map<string, { count: number; left: number; right: number }>();
    const stickingOut = (name: string, rect: DOMRect) => {
      const seen = outliers.get(name);
      outliers.set(name, { count: (seen?.count ?? 0) + 1, left: Math.min(seen?.left ?? rect.left, rect.left), right: Math.max(seen?.right ?? rect.right, rect.right) });
    };
    const outside = (rect: DOMRect) => rect.width > 0 && rect.height > 0 && (rect.left < -1 || rect.right > width + 1);
    const isControl = (element: Element) =>
      element.matches('a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])') &&
      !element.closest('[aria-hidden="true"], [inert]') &&
      !element.matches('.visually-hidden, .visually-hidden *');

    window.scrollTo(0, 0);
    const { scrollWidth } = document.documentElement;
    if (scrollWidth > width) problems.push(`the page scrolls sideways: ${scrollWidth} px wide in ${width}`);

    /**
     * Walks the boxes. `container` is the nearest container that clips or scrolls sideways (what is
     * inside it is its business), `clipper` the nearest that clips without scrolling (a control it cuts
     * is out of reach). Hidden boxes are measured too: the closed content of a <details>, say, still
     * widens a grid; what is not laid out at all measures nothing.
     */
    const walk = (element: Element, container: Element | null, clipper: Element | null): void => {
      const style = getComputedStyle(element);
      // An absolutely positioned box escapes a container that is not (inside) its containing block, and
      // a fixed one every container: it can widen the page from inside a scrolling table.
      if (style.position === 'fixed' || (style.position === 'absolute' && container && !container.contains((element as HTMLElement).offsetParent))) {
        container = null;
        clipper = null;
      }
      const rect = element.getBoundingClientRect();
      if (!container && outside(rect)) {
        stickingOut(named(element), rect);
        return;
      }
      if (clipper && isControl(element) && element.checkVisibility({ visibilityProperty: true })) {
        const bounds = clipper.getBoundingClientRect();
        if (rect.width > 0 && (rect.left < bounds.left - 1 || rect.right > bounds.right + 1)) problems.push(`${named(element)} is cut off by ${named(clipper)}`);
      }
      const clips = style.overflowX !== 'visible';
      const scrolls = style.overflowX === 'auto' || style.overflowX === 'scroll';
      if (scrolls && !element.matches('input, textarea, select') && element.scrollWidth > element.clientWidth + 1) {
        const labelled = element.hasAttribute('aria-label') || element.hasAttribute('aria-labelledby');
        if (element.getAttribute('role') !== 'region' || !labelled || (element as HTMLElement).tabIndex < 0) {
          problems.push(`${named(element)} scrolls sideways but is not a focusable, labelled region`);
        }
      }
      if (!container && !clips) {
        for (const node of element.childNodes) {
          if (node.nodeType !== Node.TEXT_NODE || !node.textContent?.trim()) continue;
          const range = document.createRange();
          range.selectNodeContents(node);
          const text = range.getBoundingClientRect();
          if (outside(text)) stickingOut(`${quoted(node)} in ${named(element)}`, text);
        }
      }
      for (const child of element.children) walk(child, clips ? element : container, scrolls ? null : clips ? element : clipper);
    };
    walk(document.body, null, null);
    for (const [name, { count, left, right }] of outliers) {
      problems.push(`${name}${count > 1 ? ` (${count} of them)` : ''} spans ${Math.round(left)}–${Math.round(right)} px of ${width}`);
    }

    // Overlaps: every line of visible text as the reader sees it (cut to the containers that clip it),
    // against every other line and every control's box, by a sweep down the page.
    const clipping = new Map<Element, boolean>();
    const clipsEitherWay = (element: Element) => {
      if (!clipping.has(element)) {
        const style = getComputedStyle(element);
        clipping.set(element, style.overflowX !== 'visible' || style.overflowY !== 'visible');
      }
      return clipping.get(element)!;
    };
    const cut = (rect: DOMRect, by: DOMRect) =>
      new DOMRect(Math.max(rect.left, by.left), Math.max(rect.top, by.top), Math.min(rect.right, by.right) - Math.max(rect.left, by.left), Math.min(rect.bottom, by.bottom) - Math.max(rect.top, by.top));
    const big = (rect: DOMRect) => rect.width > 2 && rect.height > 2;
    type Piece = { rect: DOMRect; label: string; owner: Element; control: boolean };
    const pieces: Piece[] = [];
    const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = texts.nextNode(); node; node = texts.nextNode()) {
      const owner = node.parentElement;
      if (!owner || !node.textContent?.trim() || owner.closest('select, textarea, .visually-hidden, script, style')) continue;
      if (!owner.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (let rect of range.getClientRects()) {
        for (let ancestor: Element | null = owner; ancestor && big(rect); ancestor = ancestor.parentElement) {
          if (clipsEitherWay(ancestor)) rect = cut(rect, ancestor.getBoundingClientRect());
        }
        if (big(rect)) pieces.push({ rect, label: quoted(node), owner, control: false });
      }
    }
    for (const control of document.querySelectorAll('button, input:not([type="hidden"]), select, textarea')) {
      const rect = control.getBoundingClientRect();
      if (big(rect) && control.checkVisibility({ visibilityProperty: true, opacityProperty: true }) && !control.closest('.visually-hidden')) {
        pieces.push({ rect, label: named(control), owner: control, control: true });
      }
    }
    pieces.sort((a, b) => a.rect.top - b.rect.top);
    const drawnOver = new Set<string>();
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      for (let j = i + 1; j < pieces.length && pieces[j]!.rect.top < piece.rect.bottom - 2; j++) {
        const other = pieces[j]!;
        if ((piece.control && other.control) || piece.owner.contains(other.owner) || other.owner.contains(piece.owner)) continue;
        if (big(cut(piece.rect, other.rect))) drawnOver.add(`${piece.label} and ${other.label} are drawn over each other`);
      }
    }
    problems.push(...drawnOver);

    const heading = [...document.querySelectorAll('h1')].find((h1) => h1.checkVisibility());
    if (!heading) problems.push('no heading is shown');
    else {
      const rect = heading.getBoundingClientRect();
      if (rect.top >= window.innerHeight || rect.bottom <= 0) problems.push(`the heading “${heading.textContent?.trim()}” is not on the first screen`);
    }

    for (const nav of document.querySelectorAll('nav')) {
      if (nav.checkVisibility()) continue;
      const toggles = [...document.querySelectorAll('button[aria-controls][aria-expanded="false"]')].filter((button) => {
        const target = document.getElementById(button.getAttribute('aria-controls') ?? '');
        const rect = button.getBoundingClientRect();
        return target?.contains(nav) && button.checkVisibility() && !outside(rect) && rect.top < window.innerHeight;
      });
      if (toggles.length === 0) problems.push(`the navigation “${nav.getAttribute('aria-label')}” is hidden and no button in view shows it`);
    }
    return problems;
  });
}

/**
 * The controls (by `data-testid`) that are not there to use: not shown, or, once scrolled to, outside
 * the viewport or covered by something else.
 */
export function outOfReach(page: Page, testids: readonly string[]): Promise<string[]> {
  return page.evaluate((ids) => {
    const problems: string[] = [];
    for (const id of ids) {
      const control = [...document.querySelectorAll(`[data-testid="${id}"]`)].find((element) => element.checkVisibility({ visibilityProperty: true }));
      if (!control) {
        problems.push(`${id} is not shown`);
        continue;
      }
      control.scrollIntoView({ block: 'center', inline: 'nearest' });
      const rect = control.getBoundingClientRect();
      if (rect.left < -1 || rect.right > window.innerWidth + 1 || rect.top < -1 || rect.bottom > window.innerHeight + 1) {
        problems.push(`${id} lies outside the viewport (${Math.round(rect.left)}, ${Math.round(rect.top)})–(${Math.round(rect.right)}, ${Math.round(rect.bottom)})`);
        continue;
      }
      const top = document.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2);
      if (top && !control.contains(top) && !top.contains(control)) problems.push(`${id} is covered by ${top.localName}${top.getAttribute('data-testid') ? `[data-testid=${top.getAttribute('data-testid')}]` : ''}`);
    }
    window.scrollTo(0, 0);
    return problems;
  }, testids);
}
