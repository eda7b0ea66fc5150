// The contract's enums, input objects and DateTime scalar by name, for code that holds such a value
// outside any one document's result (a filter being built, a status's colour, a select's options). Read
// from the introspection (graphql-env.d.ts), so they follow schema/schema.graphql; results are typed by
// the documents themselves (ResultOf, in each operations.ts and fragments.ts), none by hand.
import type { graphql } from './tada.ts';

/** An enum, input object or scalar of the contract by its name, as gql.tada reads it from the introspection. */
type Named<Name extends string> = ReturnType<typeof graphql.scalar<Name>>;

/** ISO-8601 string, as the DateTime scalar is serialised. */
export type DateTime = Named<'DateTime'>;
export type AnalyticsInput = Named<'AnalyticsInput'>;
export type AnalyticsInterval = Named<'AnalyticsInterval'>;
export type AnalyticsReport = Named<'AnalyticsReport'>;
export type ApiKeyScope = Named<'ApiKeyScope'>;
export type AssigneeFilter = Named<'AssigneeFilter'>;
export type AuditLogFilter = Named<'AuditLogFilter'>;
export type ConversationFilter = Named<'ConversationFilter'>;
export type ConversationStatus = Named<'ConversationStatus'>;
export type CreatePrivacyRequestInput = Named<'CreatePrivacyRequestInput'>;
export type MediaKind = Named<'MediaKind'>;
export type MessageDirection = Named<'MessageDirection'>;
export type MessageStatus = Named<'MessageStatus'>;
export type MessageType = Named<'MessageType'>;
export type Presence = Named<'Presence'>;
export type PrivacyRequestFilter = Named<'PrivacyRequestFilter'>;
export type PrivacyRequestKind = Named<'PrivacyRequestKind'>;
export type PrivacyRequestState = Named<'PrivacyRequestState'>;
export type Role = Named<'Role'>;
