// The GraphQL schema: each import registers one noun's types and root fields on the builder.
import { builder } from './builder.ts';
import './date-time.ts';
import './tenant.ts';
import './contact.ts';
import './message.ts';
import './conversation.ts';
import './conversation-event.ts';
import './errors.ts';
import './user.ts';
import './department.ts';
import './session.ts';
import './two-factor.ts';
import './invitation.ts';
import './api-key.ts';
import './media.ts';
import './reply.ts';
import './template.ts';
import './phone-number.ts';
import './note.ts'; import './label.ts'; import './canned-response.ts';
import './audit.ts';
import './retention.ts';
import './privacy.ts';
import './privacy-keywords.ts';
import './tenant-export.ts';
import './analytics.ts';
import './search.ts';

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

export const schema = builder.toSchema({ sortSchema: true });
