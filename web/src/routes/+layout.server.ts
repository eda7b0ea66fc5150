// In development only, hands the demo tenant's key to the page so `pnpm dev` opens straight into its inbox.
import { DEV_API_KEY } from '$app/env/private';
import { dev } from '$app/env';

export function load() {
	return { devApiKey: dev ? (DEV_API_KEY ?? null) : null };
}
