// Environment variables the dashboard reads (SvelteKit explicit env: https://svelte.dev/docs/kit/environment-variables).
import { defineEnvVars } from '@sveltejs/kit/env';

export const variables = defineEnvVars({
	PUBLIC_API_URL: {
		public: true,
		description: 'GraphQL endpoint (HTTP); the WebSocket URL is derived from it. Its origin must allow the dashboard’s (WEB_ORIGIN).',
		schema: (value) => value || 'http://localhost:4000/graphql'
	},
	PUBLIC_META_APP_ID: {
		public: true,
		description: 'Our Meta app id, for Embedded Signup (FB.init). Empty: the dashboard says connecting numbers is not set up.',
		schema: (value) => value ?? ''
	},
	PUBLIC_META_SIGNUP_CONFIG_ID: {
		public: true,
		description: "The Facebook Login for Business configuration id of our Embedded Signup (FB.login's config_id).",
		schema: (value) => value ?? ''
	},
	PUBLIC_META_SDK_URL: {
		public: true,
		description: "Where the Facebook JavaScript SDK is loaded from; the Meta sandbox's stand-in (<sandbox>/sdk.js) in dev and tests.",
		schema: (value) => value || 'https://connect.facebook.net/en_US/sdk.js'
	}
});
