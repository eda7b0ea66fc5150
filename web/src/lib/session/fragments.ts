// What the session's directory holds about a person and a label, as fragments: the documents that list
// them, the live update that replaces a person, the settings page that changes a label and the chips
// that show one all read the same fields, so one shape serves them all. Not documents to send on their
// own (an operations.ts lists only those).
import { graphql, type ResultOf } from '#lib/graphql/tada.ts';

export const UserFields = graphql(`
	fragment UserFields on User {
		id
		name
		email
		role
		presence
		presenceChangedAt
		active
	}
`);

export const LabelFields = graphql(`
	fragment LabelFields on Label {
		id
		name
		color
	}
`);

export type User = ResultOf<typeof UserFields>;
export type Label = ResultOf<typeof LabelFields>;
