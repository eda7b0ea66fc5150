// PrivacyKeywordSet and its root fields: the phrases a customer writes in WhatsApp to ask for their data
// or its erasure (privacy/keywords.ts), per language and kind. Admins and ADMIN keys read and change them;
// the built-in phrases apply wherever the tenant has set none.
import { auditSource } from '../audit/audit-source.ts';
import { inTenant } from '../context.ts';
import { findKeywordSets } from '../privacy/keyword-repository.ts';
import { effectiveSets, KEYWORD_KINDS, MAX_PHRASE_LENGTH, MAX_PHRASES, type KeywordKind, type KeywordLanguage } from '../privacy/keywords.ts';
import { updatePrivacyKeywords, type KeywordSetView } from '../privacy/update-keywords.ts';
import { builder } from './builder.ts';
import { unwrap, ValidationError } from './errors.ts';
import { PrivacyRequestKind } from './privacy.ts';
import { KEY_ADMINS } from './read-rules.ts';

const PrivacyKeywordLanguage = builder.enumType('PrivacyKeywordLanguage', {
  description: 'A language privacy keywords are matched in, and the confirmation question is asked in.',
  values: {
    EN: { value: 'en', description: 'English: "delete my data", "my data"…' },
    ES: { value: 'es', description: 'Spanish: "borrar mis datos", "mis datos"…' },
    AR: { value: 'ar', description: 'Arabic: "احذف بياناتي", "بياناتي"…' },
    HE: { value: 'he', description: 'Hebrew: "מחק את המידע שלי", "המידע שלי"…' },
  } as const satisfies Record<Uppercase<KeywordLanguage>, { value: KeywordLanguage; description: string }>,
});

const PrivacyKeywordSet = builder.objectRef<KeywordSetView & { updatedAt?: Date }>('PrivacyKeywordSet').implement({
  authScopes: KEY_ADMINS,
  description:
    'The phrases that ask for one kind of privacy request in one language. A customer message that is one of them and nothing more (case, accents, punctuation and emoji aside) is answered with a confirmation question as reply buttons; "yes" opens a privacy request (source WHATSAPP) that waits for an admin.',
  fields: (t) => ({
    language: t.field({ type: PrivacyKeywordLanguage, resolve: (s) => s.language }),
    kind: t.field({ type: PrivacyRequestKind, description: 'ACCESS or ERASURE.', resolve: (s) => s.kind }),
    phrases: t.exposeStringList('phrases', { description: 'Empty: no keyword asks for this kind in this language.' }),
    isDefault: t.exposeBoolean('isDefault', { description: "The built-in phrases: the tenant has set none of its own for this language and kind." }),
    updatedAt: t.field({ type: 'DateTime', nullable: true, description: 'When the tenant last set its own; null for the built-in phrases.', resolve: (s) => s.updatedAt ?? null }),
  }),
});

builder.queryField('privacyKeywords', (t) =>
  t.field({
    type: [PrivacyKeywordSet],
    description: 'The privacy keywords in force: every language and kind (ACCESS, ERASURE), the tenant\'s own or the built-in ones.',
    authScopes: KEY_ADMINS,
    resolve: (_root, _args, ctx) => inTenant(ctx, async (tx) => effectiveSets(await findKeywordSets(tx))),
  }),
);

const SetPrivacyKeywordsInput = builder.inputType('SetPrivacyKeywordsInput', {
  fields: (t) => ({
    language: t.field({ type: PrivacyKeywordLanguage, required: true }),
    kind: t.field({ type: PrivacyRequestKind, required: true, description: 'ACCESS or ERASURE.' }),
    phrases: t.stringList({
      description: `Up to ${MAX_PHRASES} phrases of up to ${MAX_PHRASE_LENGTH} characters; they replace the built-in ones for this language and kind. An empty list turns the keyword off there; null goes back to the built-in phrases.`,
    }),
  }),
});

builder.mutationField('setPrivacyKeywords', (t) =>
  t.field({
    type: PrivacyKeywordSet,
    description:
      'Sets the phrases that ask for ACCESS or ERASURE in one language. A phrase may not be an opt-out keyword (STOP, BAJA…) nor already mean something else. Recorded in the audit log (privacy.keywords_updated) with the old and new phrases.',
    authScopes: KEY_ADMINS,
    errors: { types: [ValidationError], dataField: { name: 'privacyKeywordSet' } },
    args: { input: t.arg({ type: SetPrivacyKeywordsInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      if (!(KEYWORD_KINDS as readonly string[]).includes(input.kind)) throw new ValidationError('kind', 'Keywords can ask for ACCESS or ERASURE.');
      const result = await inTenant(ctx, (tx) =>
        updatePrivacyKeywords(tx, { language: input.language, kind: input.kind as KeywordKind, phrases: input.phrases ?? null, source: auditSource(ctx) }),
      );
      return unwrap(result, 'PrivacyKeywordSet');
    },
  }),
);
