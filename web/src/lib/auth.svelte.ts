// Who is signed in to this tab. The session itself is an HttpOnly cookie the api sets at sign-in and
// scripts never see; the dashboard only learns whether it still works by asking `me`.
import { setTenantZone } from '#lib/format/zone.ts';
import { PUBLIC_API_URL } from '$app/env/public';
import { createHttpClient, isUnauthenticated } from '#lib/graphql/client.ts';
import type { Client } from '@urql/core';
import { fromApiLanguage, locale, switchLocale } from '#lib/i18n/i18n.ts';
import { outcomeOf, problemOfError, type Problem } from '#lib/graphql/outcome.ts';
import type { ResultOf } from '#lib/graphql/tada.ts';
import {
	AcceptInvitationMutation,
	LogInMutation,
	LogOutMutation,
	MeQuery,
	OperatorCheckQuery,
	SetPresenceMutation,
	type Me,
	type ViewerTenant
} from '#lib/session/operations.ts';

/** Why the sign-in screen shows, when it is not the first visit. */
export type SignInNotice = 'expired' | 'signed-out' | 'unreachable';

export type SignInResult = { ok: true } | { ok: false; problem: Problem };

class Auth {
	/** Null while signed out. */
	me = $state<Me | null>(null);
	#tenant = $state<ViewerTenant | null>(null);
	/** The signed-in person's tenant; its time zone is the one every date on the dashboard is read in. */
	get tenant(): ViewerTenant | null {
		return this.#tenant;
	}
	set tenant(tenant: ViewerTenant | null) {
		this.#tenant = tenant;
		setTenantZone(tenant?.timeZone);
	}
	/** A platform operator is signed in: the dashboard shows the operators' console instead. */
	operator = $state(false);
	/** True until the first `me` answer says whether the cookie still works. */
	checking = $state(true);
	notice = $state<SignInNotice | null>(null);
	/** Bumped per sign-in, so each session gets a fresh client and socket. */
	generation = $state(0);

	#http = createHttpClient(PUBLIC_API_URL);

	#accept(data: ResultOf<typeof MeQuery>): void {
		// The language the person chose, wherever they chose it: the page reloads in it (and this browser's
		// cookie remembers it for the sign-in page).
		const chosen = fromApiLanguage(data.me.language);
		if (chosen && chosen !== locale) return switchLocale(chosen);
		this.me = data.me;
		this.tenant = data.viewer.tenant;
		this.notice = null;
		this.generation++;
	}

	/** On load: a tab opened with a live session cookie goes straight to work. */
	async restore(): Promise<void> {
		const result = await this.#http.query(MeQuery, {}, { requestPolicy: 'network-only' }).toPromise();
		// A live session that is no person's may be an operator's.
		if (!result.data && result.error && !isUnauthenticated(result.error) && !result.error.networkError) {
			const tenants = await this.#http.query(OperatorCheckQuery, {}, { requestPolicy: 'network-only' }).toPromise();
			this.operator = Boolean(tenants.data);
		}
		this.checking = false;
		if (result.data) this.#accept(result.data);
		else if (result.error && !isUnauthenticated(result.error) && result.error.networkError) this.notice = 'unreachable';
	}

	/**
	 * The tenant requires two-factor sign-in and this person has not set it up: the api refuses their
	 * changes (TWO_FACTOR_ENROLMENT_REQUIRED), so the dashboard keeps them on /me until they have.
	 */
	get mustEnrol(): boolean {
		return Boolean(this.tenant?.requireTwoFactor && this.me && !this.me.totpEnabled);
	}

	/** Signs in; a person with two-factor sign-in on answers OTP_REQUIRED to the password alone, then sends `otp`. */
	async signIn(email: string, password: string, otp?: string): Promise<SignInResult> {
		const result = await this.#http.mutation(LogInMutation, { email, password, otp: otp ?? null }).toPromise();
		const session = outcomeOf(result.data?.logIn, 'session', result.error);
		if (!session.ok) return session;
		if (session.value.operator) {
			// Operators have no inbox: they get the operators' console (tenants, closing and reopening).
			this.operator = true;
			this.notice = null;
			return { ok: true };
		}
		const me = await this.#http.query(MeQuery, {}, { requestPolicy: 'network-only' }).toPromise();
		if (!me.data) return { ok: false, problem: me.error ? problemOfError(me.error) : { code: 'UNEXPECTED', message: '' } };
		this.#accept(me.data);
		return { ok: true };
	}

	/** Sets the invitee's own password through their invitation link; the api signs them in as logIn does. */
	async acceptInvitation(token: string, password: string): Promise<SignInResult> {
		const result = await this.#http.mutation(AcceptInvitationMutation, { token, password }).toPromise();
		const session = outcomeOf(result.data?.acceptInvitation, 'session', result.error);
		if (!session.ok) return session;
		const me = await this.#http.query(MeQuery, {}, { requestPolicy: 'network-only' }).toPromise();
		if (!me.data) return { ok: false, problem: me.error ? problemOfError(me.error) : { code: 'UNEXPECTED', message: '' } };
		this.checking = false;
		this.#accept(me.data);
		return { ok: true };
	}

	/**
	 * Goes offline first — other tabs' sockets would otherwise keep the person "online" and receiving
	 * conversations — then ends the session at the api, which clears the cookie. The tab signs out even
	 * when the api cannot be reached.
	 */
	async signOut(client: Client): Promise<void> {
		await client.mutation(SetPresenceMutation, { presence: 'OFFLINE' }).toPromise();
		await client.mutation(LogOutMutation, {}).toPromise();
		this.me = null;
		this.tenant = null;
		this.notice = 'signed-out';
	}

	/** Ends an operator's session at the api, which clears the cookie. */
	async signOutOperator(): Promise<void> {
		await this.#http.mutation(LogOutMutation, {}).toPromise();
		this.operator = false;
		this.notice = 'signed-out';
	}

	/** The api no longer accepts the session: back to sign-in, saying why. */
	expire(): void {
		if (!this.me) return;
		this.me = null;
		this.tenant = null;
		this.notice = 'expired';
	}

	/** The signed-in person changed (presence, name, role), as the api reported it. */
	update(me: Partial<Me>): void {
		if (this.me) this.me = { ...this.me, ...me };
	}

	/** The tenant changed here (its name, its zone): the header follows. */
	updateTenant(tenant: Partial<ViewerTenant>): void {
		if (this.tenant) this.tenant = { ...this.tenant, ...tenant };
	}
}

export const auth = new Auth();
