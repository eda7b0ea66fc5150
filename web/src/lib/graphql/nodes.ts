// A connection's nodes in order, skipping the null edges GraphQL allows.
import type { Connection } from './types.ts';

export function nodes<T>(connection: Connection<T> | null | undefined): T[] {
	return (connection?.edges ?? []).flatMap((edge) => (edge ? [edge.node] : []));
}
