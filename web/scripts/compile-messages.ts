// Compiles the message catalog into src/lib/paraglide (generated, not committed) without Vite: svelte-check
// and vitest need it before anything has been built. Fails when the catalog cannot be read (Paraglide
// itself only warns, and would compile a catalog with no messages at all).
import { compile } from '@inlang/paraglide-js';
import { readFile } from 'node:fs/promises';
import { paraglideOptions } from '../paraglide.options.ts';

await compile(paraglideOptions);
const english = JSON.parse(await readFile(new URL('../messages/en.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const { m } = (await import(new URL('../src/lib/paraglide/messages.js', import.meta.url).href)) as { m: Record<string, unknown> };
const missing = Object.keys(english).filter((key) => key !== '$schema' && typeof m[key] !== 'function');
if (missing.length > 0) {
	console.error(`compile-messages: ${missing.length} messages missing from the compiled catalog (first: ${missing[0]}); is @inlang/plugin-message-format installed?`);
	process.exit(1);
}
