// The tenant's reference lists a session reads in many places — departments, people, labels,
// templates — fetched once when first needed and shared through context.
import { createContext } from 'svelte';
import type { Client, TypedDocumentNode } from '@urql/core';
import { DepartmentsQuery, LabelsQuery, TeamQuery, TemplatesQuery } from '#lib/graphql/operations.ts';
import type { Connection, Department, Label, Template, User } from '#lib/graphql/types.ts';
import { nodes } from '#lib/graphql/nodes.ts';

export class Resource<T> {
	value = $state<T[] | null>(null);
	error = $state(false);
	loading = $state(false);
	#load: () => Promise<T[] | null>;

	constructor(load: () => Promise<T[] | null>) {
		this.#load = load;
	}

	/** Loads once; later calls reuse the list (or the request in flight). */
	ensure(): void {
		if (this.value === null && !this.loading) void this.reload();
	}

	async reload(): Promise<void> {
		this.loading = true;
		const value = await this.#load();
		this.loading = false;
		this.error = value === null;
		if (value) this.value = value;
	}
}

function resource<D, T>(client: Client, query: TypedDocumentNode<D, Record<string, never>>, pick: (data: D) => Connection<T>) {
	return new Resource<T>(async () => {
		const result = await client.query(query, {}, { requestPolicy: 'network-only' }).toPromise();
		return result.data ? nodes(pick(result.data)) : null;
	});
}

export class Directory {
	departments: Resource<Department>;
	people: Resource<User>;
	labels: Resource<Label>;
	templates: Resource<Template>;

	constructor(client: Client) {
		this.departments = resource(client, DepartmentsQuery, (d) => d.departments);
		this.people = resource(client, TeamQuery, (d) => d.users);
		this.labels = resource(client, LabelsQuery, (d) => d.labels);
		this.templates = resource(client, TemplatesQuery, (d) => d.templates);
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
