// Who may read each kind of object (README, "Who may do what"). Every object type names one of these as
// its `authScopes`; with `runScopesOnType` the rule is checked once per object wherever it is returned:
// root fields, node/nodes, nested fields, mutation payloads and subscription events alike. A caller the
// rule refuses gets null there and a FORBIDDEN error. Agents' narrower view (their departments) is RLS:
// the rows they may not see never load. schema/read-rules.spec.ts fails for a type without a rule.

/**
 * Granted by a mutation to the object it returns: the message a key sent, the file it uploaded, the
 * conversation it worked on are readable in that answer, though what hangs off them keeps its own rule.
 */
export const MUTATION_RESULT = 'mutationResult';

/** Conversations and what belongs to them: people (agents in their departments), keys with READ. */
export const CONVERSATION_DATA = { role: 'agent', keyScope: 'read', $granted: MUTATION_RESULT } as const;

/**
 * A customer's consent history: whoever may see the customer (agents in their departments' conversations,
 * READ keys), since it explains why a send is refused; and ADMIN keys, which record opt-ins and run
 * privacy requests. It names no staff member or key.
 */
export const CONSENT_HISTORY = { role: 'agent', keyScope: 'read', $any: { keyScope: 'admin' } } as const;

/**
 * Parts of a message (its typed content, context, Meta's errors): reachable only through their Message,
 * whose rule decides; any caller of the tenant past it may read them.
 */
export const PART_OF_MESSAGE = { tenantCaller: true } as const;

/** Not personal, needed to work conversations: labels, WhatsApp's media rules, who is asking. */
export const TENANT_CALLERS = { tenantCaller: true } as const;

/** Templates: people, keys with READ. */
export const READERS = { role: 'agent', keyScope: 'read' } as const;

/** Canned responses and departments: people, keys with READ, and ADMIN keys, which manage them. */
export const READERS_AND_ADMIN_KEYS = { role: 'agent', keyScope: 'read', $any: { keyScope: 'admin' } } as const;

/** People of the tenant: colleagues, READ keys (assignees, authors), ADMIN keys (which manage people), operators (a new tenant's admin). */
export const PEOPLE = { person: true, operator: true, keyScope: 'read', $any: { keyScope: 'admin' } } as const;

/** Departments: as people, and operators (a number's default department). */
export const DEPARTMENTS = { role: 'agent', keyScope: 'read', operator: true, $any: { keyScope: 'admin' } } as const;

/** Partner keys: admins and ADMIN keys. */
export const KEY_ADMINS = { role: 'admin', keyScope: 'admin' } as const;

/** WhatsApp numbers: managers, ADMIN keys, operators. */
export const NUMBER_MANAGERS = { role: 'manager', keyScope: 'admin', operator: true } as const;

/** A tenant: its own people and keys, and operators. */
export const TENANT = { tenantCaller: true, operator: true } as const;

/** A signed-in person's own things (sessions). */
export const PERSON = { person: true } as const;

/**
 * Whatever the field that returned it let through: the answer to the caller's own call (typed errors,
 * a mutation's success wrapper, sign-in), and connections, edges and page info, whose nodes are each
 * checked by their own type's rule.
 */
export const CALLER = { caller: true } as const;
