// Environment variables the dashboard reads (SvelteKit explicit env: https://svelte.dev/docs/kit/environment-variables).
import { defineEnvVars } from '@sveltejs/kit/env';

export const variables = defineEnvVars({
	PUBLIC_API_URL: {
		public: true,
		description: 'GraphQL endpoint (HTTP); the WebSocket URL is derived from it. Its origin must allow the dashboard’s (WEB_ORIGIN).',
		schema: (value) => value || 'http://localhost:4000/graphql'
	}
});
