// Changing a tenant's privacy keywords for one language and kind: the phrases checked (privacy/keywords.ts),
// stored, and the change in the audit log (privacy.keywords_updated) with the old and new phrases, which
// are the business's words, never a customer's. Null phrases go back to the built-in ones.
import type { TransactionSql } from '@switchboard/db/connect';
import { recordChange, type AuditSource } from '../audit/audit-source.ts';
import type { DomainResult } from '../schema/errors.ts';
import { checkPhrases, effectiveSets, type KeywordKind, type KeywordLanguage } from './keywords.ts';
import { findKeywordSets, lockKeywordSets, saveKeywordSet } from './keyword-repository.ts';

export type KeywordSetView = ReturnType<typeof effectiveSets>[number];

export async function updatePrivacyKeywords(
  tx: TransactionSql,
  { language, kind, phrases, source }: { language: KeywordLanguage; kind: KeywordKind; phrases: string[] | null; source: AuditSource },
): Promise<DomainResult<KeywordSetView>> {
  await lockKeywordSets(tx);
  const custom = await findKeywordSets(tx);
  const before = effectiveSets(custom).find((s) => s.language === language && s.kind === kind)!;
  let kept: string[] | null = null;
  if (phrases !== null) {
    const checked = checkPhrases(custom, language, kind, phrases);
    if (!checked.ok) return { ok: false, code: 'INVALID_INPUT', field: checked.field, message: checked.message };
    kept = checked.phrases;
  }
  await saveKeywordSet(tx, { language, kind, phrases: kept, userId: source.actor.kind === 'user' ? source.actor.id : null });
  const after = effectiveSets(await findKeywordSets(tx)).find((s) => s.language === language && s.kind === kind)!;
  await recordChange(tx, source, {
    action: 'privacy.keywords_updated',
    target: { kind: 'privacy_keywords', id: source.tenantId },
    detail: {
      language,
      kind,
      old: { phrases: before.phrases, isDefault: before.isDefault },
      new: { phrases: after.phrases, isDefault: after.isDefault },
    },
  });
  return { ok: true, value: after };
}
