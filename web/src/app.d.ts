// SvelteKit's app-level types (https://svelte.dev/docs/kit/types#app.d.ts).
declare global {
	namespace App {
		interface PageState {
			/** A one-off message for the page navigated to, such as "Moved to Billing." after a transfer. */
			notice?: string;
		}
	}
}

export {};
