// An audit entry's action in words. Actions are stable dotted codes (docs/security.md); the catalog has
// words for each, and a privacy request's steps (`privacy.<kind>.<step>`, seven kinds by a dozen steps)
// are put together from the words for the kind and the step. An action nobody has words for yet is
// shown as its code.
import type { PrivacyRequestKind } from '#lib/graphql/types.ts';
import { locale, t } from '#lib/i18n/i18n.ts';

const PRIVACY_STEP = /^privacy\.([a-z_]+)\.([a-z_]+)$/;

export function auditActionLabel(action: string): string {
	const known = t.audit.actions[action];
	if (known) return known;
	const [, kind, step] = PRIVACY_STEP.exec(action) ?? [];
	const kindWords = kind ? t.privacy.kinds[kind.toUpperCase() as PrivacyRequestKind] : undefined;
	const stepWords = step ? t.privacy.steps[step] : undefined;
	if (kindWords && stepWords) return t.audit.privacyAction(kindWords, stepWords.toLocaleLowerCase(locale));
	return t.audit.unknownAction(action);
}
