// Accessibility problems axe finds on a page as it stands (WCAG 2.1 A and AA), for the browser journeys.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, Result } from 'axe-core';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

async function run(page: Page): Promise<Result[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  const results = await page.evaluate(
    () => (window as unknown as { axe: { run(options: unknown): Promise<AxeResults> } }).axe.run({ runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }),
  );
  return results.violations;
}

const described = (violations: Result[]) => violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);

/** Each violation as `rule: targets`; an empty list is a page that passes. */
export async function axeViolations(page: Page): Promise<string[]> {
  return described(await run(page));
}

/** Only the serious and critical ones. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  return described((await run(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical'));
}
