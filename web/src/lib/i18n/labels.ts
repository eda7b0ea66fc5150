// The catalog's messages that are chosen at run time, by a value (a role, a status, an error code), as
// tables of the message functions themselves. Every message is named here, never looked up by key:
// a computed lookup makes the bundler keep the whole catalog, every language, on every page, where
// named ones let each page carry only the messages it shows. labels.spec.ts holds each table to the
// catalog, so a message added to a group is not forgotten here.
import { m } from '#lib/paraglide/messages.js';

/** The message of `table` for `key`, a value only known at run time (from the api); undefined when there is none. */
export function labelOf(table: Readonly<Record<string, unknown>>, key: string, inputs: Record<string, unknown> = {}): string | undefined {
	if (!Object.hasOwn(table, key)) return undefined;
	return (table[key] as (inputs: Record<string, unknown>) => string)(inputs);
}

export const rangeProblems = {
	missing: m.analytics_choose_missing,
	order: m.analytics_choose_order,
	tooLong: m.analytics_choose_tooLong
};

export const analyticsChoosePresets = {
	today: m.analytics_choose_presets_today,
	last7: m.analytics_choose_presets_last7,
	last30: m.analytics_choose_presets_last30,
	month: m.analytics_choose_presets_month,
	year: m.analytics_choose_presets_year,
	custom: m.analytics_choose_presets_custom
};

export const analyticsExportReports = {
	CONVERSATIONS: m.analytics_export_reports_CONVERSATIONS,
	AGENTS: m.analytics_export_reports_AGENTS,
	DEPARTMENTS: m.analytics_export_reports_DEPARTMENTS,
	SERIES: m.analytics_export_reports_SERIES
};

export const sortDirections = {
	ascending: m.analytics_sort_ascending,
	descending: m.analytics_sort_descending
};

export const apiKeysScopeHelp = {
	READ: m.apiKeys_scopeHelp_READ,
	SEND: m.apiKeys_scopeHelp_SEND,
	ADMIN: m.apiKeys_scopeHelp_ADMIN
};

export const apiKeysScope = {
	READ: m.apiKeys_scope_READ,
	SEND: m.apiKeys_scope_SEND,
	ADMIN: m.apiKeys_scope_ADMIN
};

export const attachmentKinds = {
	IMAGE: m.attachment_kinds_IMAGE,
	VIDEO: m.attachment_kinds_VIDEO,
	AUDIO: m.attachment_kinds_AUDIO,
	DOCUMENT: m.attachment_kinds_DOCUMENT,
	STICKER: m.attachment_kinds_STICKER
};

export const auditActions = {
	session_signed_in: m.audit_actions_session_signed_in,
	session_sign_in_failed: m.audit_actions_session_sign_in_failed,
	session_signed_out: m.audit_actions_session_signed_out,
	session_revoked: m.audit_actions_session_revoked,
	session_others_revoked: m.audit_actions_session_others_revoked,
	user_created: m.audit_actions_user_created,
	user_invitation_reissued: m.audit_actions_user_invitation_reissued,
	user_invitation_accepted: m.audit_actions_user_invitation_accepted,
	user_role_changed: m.audit_actions_user_role_changed,
	user_capacity_changed: m.audit_actions_user_capacity_changed,
	user_renamed: m.audit_actions_user_renamed,
	user_deactivated: m.audit_actions_user_deactivated,
	user_reactivated: m.audit_actions_user_reactivated,
	user_sessions_revoked: m.audit_actions_user_sessions_revoked,
	user_password_changed: m.audit_actions_user_password_changed,
	api_key_created: m.audit_actions_api_key_created,
	api_key_scopes_changed: m.audit_actions_api_key_scopes_changed,
	api_key_revoked: m.audit_actions_api_key_revoked,
	department_created: m.audit_actions_department_created,
	department_renamed: m.audit_actions_department_renamed,
	department_updated: m.audit_actions_department_updated,
	department_member_added: m.audit_actions_department_member_added,
	department_member_removed: m.audit_actions_department_member_removed,
	whatsapp_account_connected: m.audit_actions_whatsapp_account_connected,
	phone_number_connected: m.audit_actions_phone_number_connected,
	phone_number_updated: m.audit_actions_phone_number_updated,
	template_synced: m.audit_actions_template_synced,
	label_created: m.audit_actions_label_created,
	label_updated: m.audit_actions_label_updated,
	label_deleted: m.audit_actions_label_deleted,
	canned_response_created: m.audit_actions_canned_response_created,
	canned_response_updated: m.audit_actions_canned_response_updated,
	canned_response_deleted: m.audit_actions_canned_response_deleted,
	tenant_created: m.audit_actions_tenant_created,
	tenant_closed: m.audit_actions_tenant_closed,
	tenant_reopened: m.audit_actions_tenant_reopened,
	tenant_exported: m.audit_actions_tenant_exported,
	tenant_export_downloaded: m.audit_actions_tenant_export_downloaded,
	conversation_opened_outside_departments: m.audit_actions_conversation_opened_outside_departments,
	retention_updated: m.audit_actions_retention_updated,
	retention_swept: m.audit_actions_retention_swept,
	user_purged: m.audit_actions_user_purged,
	contact_opt_in_recorded: m.audit_actions_contact_opt_in_recorded,
	contact_rectified: m.audit_actions_contact_rectified,
	user_rectified: m.audit_actions_user_rectified,
	privacy_export_downloaded: m.audit_actions_privacy_export_downloaded,
	privacy_keywords_updated: m.audit_actions_privacy_keywords_updated,
	analytics_exported: m.audit_actions_analytics_exported,
	analytics_export_downloaded: m.audit_actions_analytics_export_downloaded,
	tenant_updated: m.audit_actions_tenant_updated,
	user_totp_enabled: m.audit_actions_user_totp_enabled,
	user_totp_disabled: m.audit_actions_user_totp_disabled,
	user_recovery_code_used: m.audit_actions_user_recovery_code_used
};

export const connection = {
	connecting: m.connection_connecting,
	live: m.connection_live,
	reconnecting: m.connection_reconnecting,
	offline: m.connection_offline,
	idle: m.connection_idle
};

export const consentBadges = {
	restricted: m.consent_badges_restricted,
	consentWithdrawn: m.consent_badges_consentWithdrawn,
	optedOut: m.consent_badges_optedOut,
	marketingOptedOut: m.consent_badges_marketingOptedOut
};

export const consentBases = {
	CUSTOMER_WROTE_FIRST: m.consent_bases_CUSTOMER_WROTE_FIRST,
	TEMPLATE_OPT_IN: m.consent_bases_TEMPLATE_OPT_IN,
	IMPORT: m.consent_bases_IMPORT
};

export const consentHelp = {
	restricted: m.consent_help_restricted,
	consentWithdrawn: m.consent_help_consentWithdrawn,
	optedOut: m.consent_help_optedOut,
	marketingOptedOut: m.consent_help_marketingOptedOut
};

export const consentKinds = {
	OPTED_IN: m.consent_kinds_OPTED_IN,
	OPTED_OUT: m.consent_kinds_OPTED_OUT,
	OPTED_BACK_IN: m.consent_kinds_OPTED_BACK_IN,
	MARKETING_OPTED_OUT: m.consent_kinds_MARKETING_OPTED_OUT,
	MARKETING_OPTED_IN: m.consent_kinds_MARKETING_OPTED_IN,
	RESTRICTED: m.consent_kinds_RESTRICTED,
	RESTRICTION_LIFTED: m.consent_kinds_RESTRICTION_LIFTED,
	OBJECTED: m.consent_kinds_OBJECTED,
	OBJECTION_LIFTED: m.consent_kinds_OBJECTION_LIFTED,
	CONSENT_WITHDRAWN: m.consent_kinds_CONSENT_WITHDRAWN,
	CONSENT_RESTORED: m.consent_kinds_CONSENT_RESTORED
};

export const consentSources = {
	CUSTOMER: m.consent_sources_CUSTOMER,
	AGENT: m.consent_sources_AGENT,
	ADMIN: m.consent_sources_ADMIN,
	API_KEY: m.consent_sources_API_KEY,
	PRIVACY_REQUEST: m.consent_sources_PRIVACY_REQUEST,
	IMPORT: m.consent_sources_IMPORT
};

export const conversationEventCallStatus = {
	CONNECTING: m.conversationEvent_callStatus_CONNECTING,
	RINGING: m.conversationEvent_callStatus_RINGING,
	ACCEPTED: m.conversationEvent_callStatus_ACCEPTED,
	REJECTED: m.conversationEvent_callStatus_REJECTED,
	COMPLETED: m.conversationEvent_callStatus_COMPLETED,
	FAILED: m.conversationEvent_callStatus_FAILED,
	UNKNOWN: m.conversationEvent_callStatus_UNKNOWN
};

export const inboxAssignee = {
	ANY: m.inbox_assignee_ANY,
	MINE: m.inbox_assignee_MINE,
	UNASSIGNED: m.inbox_assignee_UNASSIGNED
};

export const messageStatus = {
	RECEIVED: m.messageStatus_RECEIVED,
	PENDING: m.messageStatus_PENDING,
	SENT: m.messageStatus_SENT,
	DELIVERED: m.messageStatus_DELIVERED,
	READ: m.messageStatus_READ,
	PLAYED: m.messageStatus_PLAYED,
	FAILED: m.messageStatus_FAILED
};

export const messageType = {
	TEXT: m.messageType_TEXT,
	IMAGE: m.messageType_IMAGE,
	VIDEO: m.messageType_VIDEO,
	AUDIO: m.messageType_AUDIO,
	VOICE: m.messageType_VOICE,
	DOCUMENT: m.messageType_DOCUMENT,
	STICKER: m.messageType_STICKER,
	LOCATION: m.messageType_LOCATION,
	CONTACTS: m.messageType_CONTACTS,
	INTERACTIVE: m.messageType_INTERACTIVE,
	BUTTON: m.messageType_BUTTON,
	REACTION: m.messageType_REACTION,
	ORDER: m.messageType_ORDER,
	SYSTEM: m.messageType_SYSTEM,
	UNSUPPORTED: m.messageType_UNSUPPORTED,
	TEMPLATE: m.messageType_TEMPLATE,
	UNKNOWN: m.messageType_UNKNOWN
};

export const messageMediaUnavailableReason = {
	MISSING_MEDIA_ID: m.message_mediaUnavailableReason_MISSING_MEDIA_ID,
	MALFORMED_SHA256: m.message_mediaUnavailableReason_MALFORMED_SHA256
};

export const numbersQuality = {
	GREEN: m.numbers_quality_GREEN,
	YELLOW: m.numbers_quality_YELLOW,
	RED: m.numbers_quality_RED,
	UNKNOWN: m.numbers_quality_UNKNOWN
};

export const numbersStatus = {
	CONNECTED: m.numbers_status_CONNECTED,
	PENDING_REGISTRATION: m.numbers_status_PENDING_REGISTRATION,
	NEEDS_REAUTHORISATION: m.numbers_status_NEEDS_REAUTHORISATION,
	DISCONNECTED: m.numbers_status_DISCONNECTED
};

export const numbersStep = {
	exchange_code: m.numbers_step_exchange_code,
	fetch_number: m.numbers_step_fetch_number,
	subscribe_app: m.numbers_step_subscribe_app,
	register_number: m.numbers_step_register_number
};

export const operatorStatuses = {
	ONBOARDING: m.operator_statuses_ONBOARDING,
	ACTIVE: m.operator_statuses_ACTIVE,
	NEEDS_ATTENTION: m.operator_statuses_NEEDS_ATTENTION,
	CLOSED: m.operator_statuses_CLOSED,
	PURGED: m.operator_statuses_PURGED
};

export const presence = {
	ONLINE: m.presence_ONLINE,
	AWAY: m.presence_AWAY,
	OFFLINE: m.presence_OFFLINE
};

export const privacyKindHelp = {
	ACCESS: m.privacy_kindHelp_ACCESS,
	PORTABILITY: m.privacy_kindHelp_PORTABILITY,
	RECTIFICATION: m.privacy_kindHelp_RECTIFICATION,
	ERASURE: m.privacy_kindHelp_ERASURE,
	RESTRICTION: m.privacy_kindHelp_RESTRICTION,
	OBJECTION: m.privacy_kindHelp_OBJECTION,
	CONSENT_WITHDRAWAL: m.privacy_kindHelp_CONSENT_WITHDRAWAL
};

export const privacyKinds = {
	ACCESS: m.privacy_kinds_ACCESS,
	PORTABILITY: m.privacy_kinds_PORTABILITY,
	RECTIFICATION: m.privacy_kinds_RECTIFICATION,
	ERASURE: m.privacy_kinds_ERASURE,
	RESTRICTION: m.privacy_kinds_RESTRICTION,
	OBJECTION: m.privacy_kinds_OBJECTION,
	CONSENT_WITHDRAWAL: m.privacy_kinds_CONSENT_WITHDRAWAL
};

export const privacySources = {
	DASHBOARD: m.privacy_sources_DASHBOARD,
	API: m.privacy_sources_API,
	WHATSAPP: m.privacy_sources_WHATSAPP
};

export const privacyStates = {
	RECEIVED: m.privacy_states_RECEIVED,
	IN_PROGRESS: m.privacy_states_IN_PROGRESS,
	COMPLETED: m.privacy_states_COMPLETED,
	REJECTED: m.privacy_states_REJECTED
};

export const privacySteps = {
	received: m.privacy_steps_received,
	approved: m.privacy_steps_approved,
	started: m.privacy_steps_started,
	exported: m.privacy_steps_exported,
	rectified: m.privacy_steps_rectified,
	erased: m.privacy_steps_erased,
	applied: m.privacy_steps_applied,
	lifted: m.privacy_steps_lifted,
	completed: m.privacy_steps_completed,
	rejected: m.privacy_steps_rejected,
	notified: m.privacy_steps_notified,
	notification_failed: m.privacy_steps_notification_failed,
	nothing_to_notify: m.privacy_steps_nothing_to_notify
};

export const privacySubjectHelp = {
	waId: m.privacy_subjectHelp_waId,
	userId: m.privacy_subjectHelp_userId,
	staffEmail: m.privacy_subjectHelp_staffEmail
};

export const privacySubjectKinds = {
	waId: m.privacy_subjectKinds_waId,
	userId: m.privacy_subjectKinds_userId,
	staffEmail: m.privacy_subjectKinds_staffEmail
};

export const privacySubjectLabels = {
	waId: m.privacy_subjectLabels_waId,
	userId: m.privacy_subjectLabels_userId,
	staffEmail: m.privacy_subjectLabels_staffEmail
};

export const privacySubjectNotFound = {
	waId: m.privacy_subjectNotFound_waId,
	userId: m.privacy_subjectNotFound_userId,
	staffEmail: m.privacy_subjectNotFound_staffEmail
};

export const privacyUrgency = {
	LATE: m.privacy_urgency_LATE,
	NEAR: m.privacy_urgency_NEAR
};

export const problems = {
	WINDOW_CLOSED: m.problems_WINDOW_CLOSED,
	CONTACT_OPTED_OUT: m.problems_CONTACT_OPTED_OUT,
	CONTACT_RESTRICTED: m.problems_CONTACT_RESTRICTED,
	CONSENT_WITHDRAWN: m.problems_CONSENT_WITHDRAWN,
	NO_OPT_IN: m.problems_NO_OPT_IN,
	MARKETING_OPTED_OUT: m.problems_MARKETING_OPTED_OUT,
	NUMBER_DISCONNECTED: m.problems_NUMBER_DISCONNECTED,
	NUMBER_NEEDS_REAUTHORISATION: m.problems_NUMBER_NEEDS_REAUTHORISATION,
	TEMPLATE_NOT_APPROVED: m.problems_TEMPLATE_NOT_APPROVED,
	TEMPLATE_PARAMETERS: m.problems_TEMPLATE_PARAMETERS,
	INVALID_INPUT: m.problems_INVALID_INPUT,
	REQUEST_ENTITY_TOO_LARGE: m.problems_REQUEST_ENTITY_TOO_LARGE,
	NOT_FOUND: m.problems_NOT_FOUND,
	CONFLICT: m.problems_CONFLICT,
	INVALID_INVITATION: m.problems_INVALID_INVITATION,
	OVER_CAPACITY: m.problems_OVER_CAPACITY,
	ASSIGNEE_INACTIVE: m.problems_ASSIGNEE_INACTIVE,
	RESOLVED: m.problems_RESOLVED,
	TENANT_CLOSED: m.problems_TENANT_CLOSED,
	FORBIDDEN: m.problems_FORBIDDEN,
	ERASED: m.problems_ERASED,
	NOT_WAITING: m.problems_NOT_WAITING,
	NETWORK: m.problems_NETWORK,
	UNEXPECTED: m.problems_UNEXPECTED,
	OTP_REQUIRED: m.problems_OTP_REQUIRED,
	INVALID_OTP: m.problems_INVALID_OTP,
	TWO_FACTOR_ENROLMENT_REQUIRED: m.problems_TWO_FACTOR_ENROLMENT_REQUIRED,
	TOTP_ALREADY_ENABLED: m.problems_TOTP_ALREADY_ENABLED,
	NO_ENROLMENT_STARTED: m.problems_NO_ENROLMENT_STARTED,
	TOTP_NOT_ENABLED: m.problems_TOTP_NOT_ENABLED,
	inputRefused: m.problems_inputRefused,
	conflictRefused: m.problems_conflictRefused
};

export const retentionUnits = {
	days: m.retention_days,
	months: m.retention_months
};

export const retentionFields = {
	messagesDays: m.retention_fields_messagesDays,
	rawWebhookDays: m.retention_fields_rawWebhookDays,
	deadLetterDays: m.retention_fields_deadLetterDays,
	staffPurgeDays: m.retention_fields_staffPurgeDays,
	exportDays: m.retention_fields_exportDays,
	auditDays: m.retention_fields_auditDays,
	analyticsMonths: m.retention_fields_analyticsMonths
};

export const roles = {
	AGENT: m.roles_AGENT,
	MANAGER: m.roles_MANAGER,
	ADMIN: m.roles_ADMIN
};

export const settingsSections = {
	account: m.settings_account,
	people: m.settings_people,
	departments: m.settings_departments,
	numbers: m.settings_numbers,
	templates: m.settings_templates,
	labels: m.settings_labels,
	canned: m.settings_canned,
	apiKeys: m.settings_apiKeys
};

export const conversationStatus = {
	BOT: m.status_BOT,
	OPEN: m.status_OPEN,
	PENDING: m.status_PENDING,
	RESOLVED: m.status_RESOLVED
};

export const templatesCategory = {
	MARKETING: m.templates_category_MARKETING,
	UTILITY: m.templates_category_UTILITY,
	AUTHENTICATION: m.templates_category_AUTHENTICATION
};

export const templatesStatus = {
	APPROVED: m.templates_status_APPROVED,
	PENDING: m.templates_status_PENDING,
	REJECTED: m.templates_status_REJECTED,
	PAUSED: m.templates_status_PAUSED,
	DISABLED: m.templates_status_DISABLED
};

/** Each table with the catalog prefix it covers and whether it holds every message of that prefix (for labels.spec.ts). */
export const GROUPS = {
	rangeProblems: { table: rangeProblems, prefix: 'analytics_choose_', whole: false },
	analyticsChoosePresets: { table: analyticsChoosePresets, prefix: 'analytics_choose_presets_', whole: true },
	analyticsExportReports: { table: analyticsExportReports, prefix: 'analytics_export_reports_', whole: true },
	sortDirections: { table: sortDirections, prefix: 'analytics_sort_', whole: false },
	apiKeysScopeHelp: { table: apiKeysScopeHelp, prefix: 'apiKeys_scopeHelp_', whole: true },
	apiKeysScope: { table: apiKeysScope, prefix: 'apiKeys_scope_', whole: true },
	attachmentKinds: { table: attachmentKinds, prefix: 'attachment_kinds_', whole: true },
	auditActions: { table: auditActions, prefix: 'audit_actions_', whole: true },
	connection: { table: connection, prefix: 'connection_', whole: false },
	consentBadges: { table: consentBadges, prefix: 'consent_badges_', whole: true },
	consentBases: { table: consentBases, prefix: 'consent_bases_', whole: true },
	consentHelp: { table: consentHelp, prefix: 'consent_help_', whole: true },
	consentKinds: { table: consentKinds, prefix: 'consent_kinds_', whole: true },
	consentSources: { table: consentSources, prefix: 'consent_sources_', whole: true },
	conversationEventCallStatus: { table: conversationEventCallStatus, prefix: 'conversationEvent_callStatus_', whole: true },
	inboxAssignee: { table: inboxAssignee, prefix: 'inbox_assignee_', whole: true },
	messageStatus: { table: messageStatus, prefix: 'messageStatus_', whole: true },
	messageType: { table: messageType, prefix: 'messageType_', whole: true },
	messageMediaUnavailableReason: { table: messageMediaUnavailableReason, prefix: 'message_mediaUnavailableReason_', whole: true },
	numbersQuality: { table: numbersQuality, prefix: 'numbers_quality_', whole: true },
	numbersStatus: { table: numbersStatus, prefix: 'numbers_status_', whole: true },
	numbersStep: { table: numbersStep, prefix: 'numbers_step_', whole: true },
	operatorStatuses: { table: operatorStatuses, prefix: 'operator_statuses_', whole: true },
	presence: { table: presence, prefix: 'presence_', whole: false },
	privacyKindHelp: { table: privacyKindHelp, prefix: 'privacy_kindHelp_', whole: true },
	privacyKinds: { table: privacyKinds, prefix: 'privacy_kinds_', whole: true },
	privacySources: { table: privacySources, prefix: 'privacy_sources_', whole: true },
	privacyStates: { table: privacyStates, prefix: 'privacy_states_', whole: true },
	privacySteps: { table: privacySteps, prefix: 'privacy_steps_', whole: true },
	privacySubjectHelp: { table: privacySubjectHelp, prefix: 'privacy_subjectHelp_', whole: true },
	privacySubjectKinds: { table: privacySubjectKinds, prefix: 'privacy_subjectKinds_', whole: true },
	privacySubjectLabels: { table: privacySubjectLabels, prefix: 'privacy_subjectLabels_', whole: true },
	privacySubjectNotFound: { table: privacySubjectNotFound, prefix: 'privacy_subjectNotFound_', whole: true },
	privacyUrgency: { table: privacyUrgency, prefix: 'privacy_urgency_', whole: true },
	problems: { table: problems, prefix: 'problems_', whole: true },
	retentionUnits: { table: retentionUnits, prefix: 'retention_', whole: false },
	retentionFields: { table: retentionFields, prefix: 'retention_fields_', whole: true },
	roles: { table: roles, prefix: 'roles_', whole: true },
	settingsSections: { table: settingsSections, prefix: 'settings_', whole: false },
	conversationStatus: { table: conversationStatus, prefix: 'status_', whole: true },
	templatesCategory: { table: templatesCategory, prefix: 'templates_category_', whole: true },
	templatesStatus: { table: templatesStatus, prefix: 'templates_status_', whole: true }
};
