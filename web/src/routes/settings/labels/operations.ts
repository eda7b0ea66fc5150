// The labels page's documents, typed from the contract (see #lib/graphql/tada.ts). A label has the
// fields the session's directory and the chips read (#lib/session/fragments.ts).
import { REFUSAL, graphql } from '#lib/graphql/tada.ts';
import { LabelFields } from '#lib/session/fragments.ts';

export const LabelsSettingsQuery = graphql(
	`
		query LabelsSettings {
			labels(first: 100) {
				edges {
					node {
						...LabelFields
					}
				}
			}
		}
	`,
	[LabelFields]
);

export const CreateLabelMutation = graphql(
	`
		mutation CreateLabel($name: String!, $color: String) {
			createLabel(name: $name, color: $color) {
				${REFUSAL}
				... on MutationCreateLabelSuccess {
					label {
						...LabelFields
					}
				}
			}
		}
	`,
	[LabelFields]
);

export const UpdateLabelMutation = graphql(
	`
		mutation UpdateLabel($id: ID!, $name: String, $color: String) {
			updateLabel(id: $id, name: $name, color: $color) {
				${REFUSAL}
				... on MutationUpdateLabelSuccess {
					label {
						...LabelFields
					}
				}
			}
		}
	`,
	[LabelFields]
);

export const DeleteLabelMutation = graphql(`
	mutation DeleteLabel($id: ID!) {
		deleteLabel(id: $id) {
			${REFUSAL}
			... on MutationDeleteLabelSuccess {
				deletedId
			}
		}
	}
`);

export const operations = [LabelsSettingsQuery, CreateLabelMutation, UpdateLabelMutation, DeleteLabelMutation];
