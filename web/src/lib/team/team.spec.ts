import { describe, expect, it } from 'vitest';
import type { Presence } from '#lib/graphql/types.ts';
import { teamOrder } from './team.ts';

const person = (name: string, presence: Presence, active = true) => ({ name, presence, active });

describe('teamOrder', () => {
	it('lists online people first, then away, then offline, by name within each', () => {
		const people = [person('Zoe', 'OFFLINE'), person('Omar', 'AWAY'), person('Ana', 'OFFLINE'), person('Lina', 'ONLINE'), person('Bo', 'ONLINE')];
		expect(teamOrder(people, 'en').map((p) => p.name)).toEqual(['Bo', 'Lina', 'Omar', 'Ana', 'Zoe']);
	});

	it('leaves out deactivated people', () => {
		expect(teamOrder([person('Ana', 'ONLINE', false), person('Bo', 'AWAY')]).map((p) => p.name)).toEqual(['Bo']);
	});

	it('does not change the list it was given', () => {
		const people = [person('Zoe', 'OFFLINE'), person('Ana', 'ONLINE')];
		teamOrder(people);
		expect(people.map((p) => p.name)).toEqual(['Zoe', 'Ana']);
	});
});
