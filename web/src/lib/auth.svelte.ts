// Who the dashboard talks to the api as. For now a partner API key pasted on the Connect screen and kept
// in sessionStorage (this tab only); user login replaces this module later.
const STORAGE_KEY = 'switchboard.apiKey';

class Auth {
	apiKey = $state<string | null>(null);
	/** The api refused the last key; the Connect screen says so. */
	rejected = $state(false);

	/** Picks up the tab's key, else the development key the server offered (dev only). */
	restore(devApiKey: string | null): void {
		this.apiKey = sessionStorage.getItem(STORAGE_KEY) ?? devApiKey;
	}

	connect(apiKey: string): void {
		sessionStorage.setItem(STORAGE_KEY, apiKey);
		this.apiKey = apiKey;
		this.rejected = false;
	}

	disconnect(): void {
		sessionStorage.removeItem(STORAGE_KEY);
		this.apiKey = null;
	}

	reject(): void {
		this.disconnect();
		this.rejected = true;
	}
}

export const auth = new Auth();
