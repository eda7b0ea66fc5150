// Vite + SvelteKit configuration. SvelteKit 3 reads its options from the plugin call, not svelte.config.js.
import adapter from '@sveltejs/adapter-node';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { paraglideOptions } from './paraglide.options.ts';

export default defineConfig({
	plugins: [
		// The message catalog (messages/*.json) compiled into src/lib/paraglide, again on every change.
		paraglideVitePlugin(paraglideOptions),
		sveltekit({
			adapter: adapter(),
			// Dev-only defaults (.env) live at the workspace root, shared with api and edge.
			env: { dir: '..' }
		})
	],
	server: { port: 5173, strictPort: true },
	preview: { port: 5173, strictPort: true }
});
