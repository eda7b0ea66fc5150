// The live-update connection of a session, shared through context with the indicator and the pages.
import { createContext } from 'svelte';
import type { ConnectionStatus } from './client.ts';

export class ConnectionState {
	status = $state<ConnectionStatus>('connecting');
	/** Bumped whenever the socket comes back; pages refetch so nothing missed while away stays missing. */
	resyncs = $state(0);
}

export const [getConnection, setConnection] = createContext<ConnectionState>();
