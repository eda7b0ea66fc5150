// Embedded Signup in the browser: load Facebook's JavaScript SDK once (the Meta sandbox's stand-in in dev
// and tests, from PUBLIC_META_SDK_URL), run FB.login with our configuration, and gather what the flow
// gives this window — the session info Meta posts to it (WA_EMBEDDED_SIGNUP: the WABA, number and
// business ids, or where the person cancelled) and FB.login's code, which lives 30 seconds. The page then
// hands both to connectWhatsAppNumber at once.
// https://developers.facebook.com/docs/whatsapp/embedded-signup/implementation

export interface SignupSession {
	wabaId: string;
	phoneNumberId: string;
	businessId: string | null;
}

export type SignupMessage =
	| { event: 'finish'; session: SignupSession }
	| { event: 'cancel'; step: string | null }
	| { event: 'error'; message: string | null };

export type SignupResult =
	| { ok: true; code: string; session: SignupSession }
	| { ok: false; reason: 'cancelled'; step: string | null }
	| { ok: false; reason: 'error'; message: string | null };

interface FacebookSdk {
	init(options: { appId: string; autoLogAppEvents?: boolean; xfbml?: boolean; version: string }): void;
	login(callback: (response: { authResponse?: { code?: string } | null }) => void, options: Record<string, unknown>): void;
}

declare global {
	interface Window {
		FB?: FacebookSdk;
		fbAsyncInit?: () => void;
	}
}

/** The Graph API version the SDK is initialised with (the api calls the same). */
const GRAPH_VERSION = 'v23.0';
/** How long the session info may trail FB.login's answer before the flow counts as failed. */
const SESSION_GRACE_MS = 5_000;

/** Where session info may come from: Facebook's windows, or the origin the SDK was loaded from (the sandbox). */
export function trustedOrigins(sdkUrl: string): string[] {
	return ['https://www.facebook.com', 'https://web.facebook.com', new URL(sdkUrl).origin];
}

/** A posted message as Embedded Signup's session info (version 3), or null when it is anything else. */
export function readSignupMessage(data: unknown): SignupMessage | null {
	if (typeof data !== 'string') return null;
	let parsed: unknown;
	try {
		parsed = JSON.parse(data);
	} catch {
		return null;
	}
	if (typeof parsed !== 'object' || parsed === null) return null;
	const { type, event, data: details } = parsed as { type?: unknown; event?: unknown; data?: Record<string, unknown> };
	if (type !== 'WA_EMBEDDED_SIGNUP' || typeof details !== 'object' || details === null) return null;
	const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
	if (event === 'FINISH' || event === 'FINISH_ONLY_WABA' || event === 'FINISH_WHATSAPP_BUSINESS_APP_ONBOARDING') {
		const wabaId = text(details.waba_id);
		const phoneNumberId = text(details.phone_number_id);
		if (!wabaId || !phoneNumberId) return { event: 'error', message: null };
		return { event: 'finish', session: { wabaId, phoneNumberId, businessId: text(details.business_id) } };
	}
	if (event === 'CANCEL') return details.error_message ? { event: 'error', message: text(details.error_message) } : { event: 'cancel', step: text(details.current_step) };
	if (event === 'ERROR') return { event: 'error', message: text(details.error_message) };
	return null;
}

let loading: Promise<FacebookSdk> | null = null;

/** Loads and initialises the SDK once per page load. */
export function loadSdk(sdkUrl: string, appId: string): Promise<FacebookSdk> {
	loading ??= new Promise<FacebookSdk>((resolve, reject) => {
		window.fbAsyncInit = () => {
			window.FB!.init({ appId, autoLogAppEvents: true, xfbml: false, version: GRAPH_VERSION });
			resolve(window.FB!);
		};
		const script = document.createElement('script');
		script.src = sdkUrl;
		script.async = true;
		script.crossOrigin = 'anonymous';
		script.onerror = () => {
			loading = null;
			reject(new Error('sdk'));
		};
		document.head.append(script);
	});
	return loading;
}

/** Runs the flow: resolves once FB.login has answered and, when it gave a code, the session info came. */
export function runSignup(sdk: FacebookSdk, { configId, sdkUrl }: { configId: string; sdkUrl: string }): Promise<SignupResult> {
	const origins = trustedOrigins(sdkUrl);
	return new Promise((resolve) => {
		let message: SignupMessage | null = null;
		let code: string | null | undefined;
		let timer: ReturnType<typeof setTimeout> | undefined;
		const finish = (result: SignupResult) => {
			window.removeEventListener('message', listen);
			clearTimeout(timer);
			resolve(result);
		};
		const settle = () => {
			if (code === undefined) return;
			if (!code) {
				if (message?.event === 'error') return finish({ ok: false, reason: 'error', message: message.message });
				return finish({ ok: false, reason: 'cancelled', step: message?.event === 'cancel' ? message.step : null });
			}
			if (message?.event === 'finish') return finish({ ok: true, code, session: message.session });
			if (message) return finish({ ok: false, reason: 'error', message: message.event === 'error' ? message.message : null });
			timer ??= setTimeout(() => finish({ ok: false, reason: 'error', message: null }), SESSION_GRACE_MS);
		};
		function listen(event: MessageEvent) {
			if (!origins.includes(event.origin)) return;
			const read = readSignupMessage(event.data);
			if (!read) return;
			message = read;
			settle();
		}
		window.addEventListener('message', listen);
		sdk.login(
			(response) => {
				code = response.authResponse?.code ?? null;
				settle();
			},
			{
				config_id: configId,
				response_type: 'code',
				override_default_response_type: true,
				extras: { setup: {}, featureType: '', sessionInfoVersion: '3' }
			}
		);
	});
}
