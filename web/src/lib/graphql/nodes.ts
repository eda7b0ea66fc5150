// A connection's nodes in order, skipping the null edges GraphQL allows.
export function nodes<T>(connection: { edges: readonly ({ node: T } | null)[] } | null | undefined): T[] {
	return (connection?.edges ?? []).flatMap((edge) => (edge ? [edge.node] : []));
}
