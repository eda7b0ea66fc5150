// The settings pages, who may use each, and the first a person may open. The header's Settings link,
// the settings navigation and the pages' own gate all read this one list.
import type { Role } from '#lib/graphql/types.ts';

export const SETTINGS_SECTIONS = [
	{ route: '/settings/account', key: 'account', roles: ['ADMIN'] },
	{ route: '/settings/people', key: 'people', roles: ['ADMIN'] },
	{ route: '/settings/departments', key: 'departments', roles: ['MANAGER', 'ADMIN'] },
	{ route: '/settings/numbers', key: 'numbers', roles: ['MANAGER', 'ADMIN'] },
	{ route: '/settings/templates', key: 'templates', roles: ['MANAGER', 'ADMIN'] },
	{ route: '/settings/labels', key: 'labels', roles: ['MANAGER', 'ADMIN'] },
	{ route: '/settings/canned-responses', key: 'canned', roles: ['MANAGER', 'ADMIN'] },
	{ route: '/settings/api-keys', key: 'apiKeys', roles: ['ADMIN'] }
] as const satisfies readonly { route: string; key: string; roles: readonly Role[] }[];

export type SettingsSection = (typeof SETTINGS_SECTIONS)[number];

export function sectionsFor(role: Role | undefined): SettingsSection[] {
	return SETTINGS_SECTIONS.filter((section) => role !== undefined && (section.roles as readonly Role[]).includes(role));
}

/** The section a path belongs to, if any. */
export function sectionOf(pathname: string): SettingsSection | undefined {
	return SETTINGS_SECTIONS.find((section) => pathname === section.route || pathname.startsWith(`${section.route}/`));
}
