// The departments page's documents, typed from the contract (see #lib/graphql/tada.ts).
import { graphql, REFUSAL, type ResultOf } from '#lib/graphql/tada.ts';

const DEPARTMENT = `
	id
	name
	strategy
	autoAssign
	isDefault
	members { id name role active capacity presence }
`;

export const DepartmentsSettingsQuery = graphql(`
	query DepartmentsSettings {
		departments(first: 100) { edges { node { ${DEPARTMENT} } } }
		users(first: 500) { edges { node { id name role active capacity } } }
	}
`);

export const CreateDepartmentMutation = graphql(`
	mutation CreateDepartment($name: String!, $strategy: AssignmentStrategy, $autoAssign: Boolean, $isDefault: Boolean) {
		createDepartment(name: $name, strategy: $strategy, autoAssign: $autoAssign, isDefault: $isDefault) {
			${REFUSAL}
			... on MutationCreateDepartmentSuccess { department { ${DEPARTMENT} } }
		}
	}
`);

export const UpdateDepartmentMutation = graphql(`
	mutation UpdateDepartment($id: ID!, $name: String, $strategy: AssignmentStrategy, $autoAssign: Boolean, $isDefault: Boolean) {
		updateDepartment(id: $id, name: $name, strategy: $strategy, autoAssign: $autoAssign, isDefault: $isDefault) {
			${REFUSAL}
			... on MutationUpdateDepartmentSuccess { department { ${DEPARTMENT} } }
		}
	}
`);

export const SetDepartmentMemberMutation = graphql(`
	mutation SetDepartmentMember($departmentId: ID!, $userId: ID!, $member: Boolean!) {
		setDepartmentMember(departmentId: $departmentId, userId: $userId, member: $member) {
			${REFUSAL}
			... on MutationSetDepartmentMemberSuccess { department { ${DEPARTMENT} } }
		}
	}
`);

export const UpdateCapacityMutation = graphql(`
	mutation UpdateCapacity($id: ID!, $capacity: Int!) {
		updateUser(id: $id, capacity: $capacity) {
			${REFUSAL}
			... on MutationUpdateUserSuccess { user { id capacity } }
		}
	}
`);

export type DepartmentRow = NonNullable<ResultOf<typeof DepartmentsSettingsQuery>['departments']['edges'][number]>['node'];
export type PersonRow = NonNullable<ResultOf<typeof DepartmentsSettingsQuery>['users']['edges'][number]>['node'];

export const operations = [DepartmentsSettingsQuery, CreateDepartmentMutation, UpdateDepartmentMutation, SetDepartmentMemberMutation, UpdateCapacityMutation];
