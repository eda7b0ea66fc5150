// Environment variables the dashboard reads (SvelteKit explicit env: https://svelte.dev/docs/kit/environment-variables).
import { defineEnvVars } from '@sveltejs/kit/env';

export const variables = defineEnvVars({
	PUBLIC_API_URL: {
		public: true,
		description: 'GraphQL endpoint (HTTP); the WebSocket URL is derived from it.',
		schema: (value) => value || 'http://localhost:4000/graphql'
	},
	DEV_API_KEY: {
		description: 'Demo tenant API key handed to the page by `pnpm dev` only; never read in production.',
		schema: (value) => value || undefined
	}
});
