// The reference lists a session reads in many places — departments, people, labels, templates, the
// media WhatsApp takes — fetched once when first needed and shared through context.
import { createContext } from 'svelte';
import type { Client, TypedDocumentNode } from '@urql/core';
import { nodes } from '#lib/graphql/nodes.ts';
import type { Label, User } from './fragments.ts';
import { DepartmentsQuery, LabelsQuery, MediaRulesQuery, TeamQuery, TemplatesQuery, type Department, type MediaRule, type Template } from './operations.ts';

export class Resource<T> {
	value = $state<T[] | null>(null);
	error = $state(false);
	loading = $state(false);
	#load: () => Promise<T[] | null>;
	#inFlight: Promise<void> | null = null;

	constructor(load: () => Promise<T[] | null>) {
		this.#load = load;
	}

	/** Loads once; later calls reuse the list (or the request in flight). */
	ensure(): void {
		if (this.value === null && !this.#inFlight) void this.reload();
	}

	/** The list once it is here (loading it if need be); null if it could not be had. */
	async get(): Promise<T[] | null> {
		this.ensure();
		await this.#inFlight;
		return this.value;
	}

	/** Fetches the list afresh. */
	reload(): Promise<void> {
		const run: Promise<void> = this.#fetch().finally(() => {
			if (this.#inFlight === run) this.#inFlight = null;
		});
		this.#inFlight = run;
		return run;
	}

	async #fetch(): Promise<void> {
		this.loading = true;
		const value = await this.#load();
		this.loading = false;
		this.error = value === null;
		if (value) this.value = value;
	}
}

function resource<D, T>(client: Client, query: TypedDocumentNode<D, Record<string, never>>, pick: (data: D) => T[]) {
	return new Resource<T>(async () => {
		const result = await client.query(query, {}, { requestPolicy: 'network-only' }).toPromise();
		return result.data ? pick(result.data) : null;
	});
}

export class Directory {
	departments: Resource<Department>;
	people: Resource<User>;
	labels: Resource<Label>;
	templates: Resource<Template>;
	mediaRules: Resource<MediaRule>;

	constructor(client: Client) {
		this.departments = resource(client, DepartmentsQuery, (d) => nodes(d.departments));
		this.people = resource(client, TeamQuery, (d) => nodes(d.users));
		this.labels = resource(client, LabelsQuery, (d) => nodes(d.labels));
		this.templates = resource(client, TemplatesQuery, (d) => nodes(d.templates));
		this.mediaRules = resource(client, MediaRulesQuery, (d) => d.mediaRules);
	}

	/** A person changed (presence, name, role): every list showing them shows it. */
	updatePerson(user: User): void {
		const people = this.people.value;
		if (!people) return;
		const index = people.findIndex((p) => p.id === user.id);
		this.people.value = index === -1 ? [...people, user].sort((a, b) => a.name.localeCompare(b.name)) : people.with(index, user);
	}
}

export const [getDirectory, setDirectory] = createContext<Directory>();
