// The page shell is rendered on the server even though the app itself renders in the browser: the first
// byte already says which language and direction the page is in (`<html lang dir>`), chosen by the
// cookie the language picker sets, else the browser's Accept-Language (web/paraglide.options.ts).
import type { Handle } from '@sveltejs/kit/hooks';
import { getTextDirection } from '#lib/paraglide/runtime.js';
import { paraglideMiddleware } from '#lib/paraglide/server.js';

export const handle: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ locale }) =>
		resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%lang%', locale).replace('%dir%', getTextDirection(locale))
		})
	);
