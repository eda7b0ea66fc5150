// The numbers page's documents, typed from the contract (see #lib/graphql/tada.ts).
import { graphql, REFUSAL, type ResultOf } from '#lib/graphql/tada.ts';

const NUMBER = `
	id
	phoneNumberId
	wabaId
	displayPhoneNumber
	verifiedName
	status
	statusReason
	qualityRating
	throughputPerSecond
	defaultDepartment { id name }
	createdAt
`;

export const NumbersSettingsQuery = graphql(`
	query NumbersSettings {
		phoneNumbers { ${NUMBER} }
		departments(first: 100) { edges { node { id name } } }
	}
`);

export const ConnectNumberMutation = graphql(`
	mutation ConnectNumber($input: ConnectWhatsAppNumberInput!) {
		connectWhatsAppNumber(input: $input) {
			${REFUSAL}
			... on OnboardingStepError { step metaCode }
			... on MutationConnectWhatsAppNumberSuccess { phoneNumber { ${NUMBER} } }
		}
	}
`);

export const UpdateNumberMutation = graphql(`
	mutation UpdateNumber($id: ID!, $throughputPerSecond: Int, $defaultDepartmentId: ID) {
		updatePhoneNumber(id: $id, throughputPerSecond: $throughputPerSecond, defaultDepartmentId: $defaultDepartmentId) {
			${REFUSAL}
			... on MutationUpdatePhoneNumberSuccess { phoneNumber { ${NUMBER} } }
		}
	}
`);

export type NumberRow = ResultOf<typeof NumbersSettingsQuery>['phoneNumbers'][number];

export const operations = [NumbersSettingsQuery, ConnectNumberMutation, UpdateNumberMutation];
