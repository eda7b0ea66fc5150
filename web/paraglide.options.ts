// How the message catalog (messages/{locale}.json) is compiled, shared by Vite's plugin and by
// scripts/compile-messages.ts (which svelte-check and the unit tests run first, from a clean checkout).
// The plugin that reads the catalog is loaded from node_modules (project.inlang/settings.json): nothing
// is fetched at build time.
export const paraglideOptions = {
	project: './project.inlang',
	outdir: './src/lib/paraglide',
	// The person's choice (a cookie, set from their profile when they sign in and by the picker), else
	// the browser's Accept-Language, else English.
	strategy: ['cookie', 'preferredLanguage', 'baseLocale'],
	cookieName: 'switchboard_language',
	// A year: the sign-in page speaks the language last chosen on this browser.
	cookieMaxAge: 60 * 60 * 24 * 365,
	emitTsDeclarations: true
} satisfies Parameters<typeof import('@inlang/paraglide-js').compile>[0];
