import { describe, expect, it } from 'vitest';
import { composeButtons } from '../messaging/compose.ts';
import {
  buttonId,
  checkPhrases,
  compileKeywords,
  DEFAULT_PHRASES,
  effectiveSets,
  keywordCandidates,
  KEYWORD_KINDS,
  KEYWORD_LANGUAGES,
  matchPrivacyKeyword,
  normalisePhrase,
  parseButtonId,
  promptButtons,
  replyText,
  type KeywordLanguage,
} from './keywords.ts';

const defaults = compileKeywords([]);
const PROMPT = '0190a5b3-8c1e-7000-8000-00000000abcd';

describe('privacy keywords', () => {
  describe('the built-in phrases, as customers write them', () => {
    const ASKS: [string, KeywordLanguage, 'access' | 'erasure'][] = [
      ['Delete my data', 'en', 'erasure'],
      ['  ERASE MY DATA!!! ', 'en', 'erasure'],
      ['delete my data 🙏', 'en', 'erasure'],
      ['My data?', 'en', 'access'],
      ['¡Borrar mis datos!', 'es', 'erasure'],
      ['Eliminar mis datos', 'es', 'erasure'],
      ['Envíame mis datos', 'es', 'access'],
      ['enviame mis datos', 'es', 'access'],
      ['מחק את המידע שלי', 'he', 'erasure'],
      ['\u200fמחק את המידע שלי.', 'he', 'erasure'],
      ['המידע שלי', 'he', 'access'],
      ['احذف بياناتي', 'ar', 'erasure'],
      ['إحذف بياناتي؟', 'ar', 'erasure'],
      ['احذف بيانـــاتي', 'ar', 'erasure'],
      ['بياناتي', 'ar', 'access'],
    ];
    it.each(ASKS)('%j asks for %s %s', (text, language, kind) => {
      expect(matchPrivacyKeyword(defaults, text)).toEqual({ language, kind });
    });

    it('matches the whole message only, never a phrase inside a sentence', () => {
      for (const text of ['please delete my data', 'can you delete my data after my order ships?', 'my data plan is too expensive', 'quiero borrar mis datos ya', 'delete', 'data', '']) {
        expect(matchPrivacyKeyword(defaults, text)).toBeNull();
      }
      expect(matchPrivacyKeyword(defaults, `delete my data${' '.repeat(200)}`)).toBeNull();
    });

    it('has phrases for access and erasure in each of the four languages, none meaning two things, none an opt-out word', () => {
      for (const language of KEYWORD_LANGUAGES) for (const kind of KEYWORD_KINDS) expect(DEFAULT_PHRASES[language][kind].length).toBeGreaterThan(0);
      const all = KEYWORD_LANGUAGES.flatMap((l) => KEYWORD_KINDS.flatMap((k) => DEFAULT_PHRASES[l][k].map((p) => ({ key: normalisePhrase(p), l, k }))));
      for (const { key, l, k } of all) expect(defaults.get(key)).toEqual({ language: l, kind: k });
      for (const language of KEYWORD_LANGUAGES) for (const kind of KEYWORD_KINDS) {
        expect(checkPhrases([], language, kind, DEFAULT_PHRASES[language][kind])).toMatchObject({ ok: true });
      }
    });
  });

  describe("a tenant's own phrases", () => {
    it('replace the built-in ones of that language and kind only', () => {
      const own = compileKeywords([{ language: 'en', kind: 'erasure', phrases: ['Forget me'] }]);
      expect(matchPrivacyKeyword(own, 'forget me!')).toEqual({ language: 'en', kind: 'erasure' });
      expect(matchPrivacyKeyword(own, 'delete my data')).toBeNull();
      expect(matchPrivacyKeyword(own, 'my data')).toEqual({ language: 'en', kind: 'access' });
      expect(matchPrivacyKeyword(own, 'borrar mis datos')).toEqual({ language: 'es', kind: 'erasure' });
      expect(effectiveSets([{ language: 'en', kind: 'erasure', phrases: [] }]).find((s) => s.language === 'en' && s.kind === 'erasure')).toEqual({ language: 'en', kind: 'erasure', phrases: [], isDefault: false });
    });

    it('are trimmed and deduplicated as compared', () => {
      expect(checkPhrases([], 'en', 'erasure', ['  Forget   me ', 'forget me!', 'Wipe my data'])).toEqual({ ok: true, phrases: ['Forget me', 'Wipe my data'] });
    });

    it('refuse an opt-out word, a phrase that already means something else, an empty or an overlong one', () => {
      expect(checkPhrases([], 'en', 'erasure', ['forget me', 'STOP'])).toMatchObject({ ok: false, field: 'phrases.1' });
      expect(checkPhrases([], 'en', 'erasure', ['my data'])).toMatchObject({ ok: false, field: 'phrases.0', message: '"my data" already asks for ACCESS in en; a phrase can mean one thing only.' });
      expect(checkPhrases([], 'es', 'erasure', ['delete my data'])).toMatchObject({ ok: false, field: 'phrases.0' });
      expect(checkPhrases([], 'en', 'erasure', ['!!!'])).toMatchObject({ ok: false, field: 'phrases.0' });
      expect(checkPhrases([], 'en', 'erasure', ['x'.repeat(61)])).toMatchObject({ ok: false, field: 'phrases.0' });
      expect(checkPhrases([], 'en', 'erasure', Array.from({ length: 21 }, (_, i) => `wipe ${i}`))).toMatchObject({ ok: false, field: 'phrases' });
      // A phrase freed by the other set may be taken.
      expect(checkPhrases([{ language: 'en', kind: 'access', phrases: ['send my data'] }], 'en', 'erasure', ['my data'])).toEqual({ ok: true, phrases: ['my data'] });
    });
  });

  describe('the question and its buttons', () => {
    it('names the prompt in each button id, and reads only such ids back', () => {
      expect(parseButtonId(buttonId(PROMPT, 'yes'))).toEqual({ promptId: PROMPT, answer: 'yes' });
      expect(parseButtonId(buttonId(PROMPT, 'no'))).toEqual({ promptId: PROMPT, answer: 'no' });
      for (const id of ['yes', `privacy:${PROMPT}:maybe`, `privacy:${PROMPT}`, `privacy:not-a-uuid:yes`, `xprivacy:${PROMPT}:yes`, null]) expect(parseButtonId(id)).toBeNull();
    });

    it.each(KEYWORD_LANGUAGES.flatMap((l) => KEYWORD_KINDS.map((k) => [l, k] as const)))('composes as Meta accepts it in %s for %s', (language, kind) => {
      const composed = composeButtons(promptButtons({ id: PROMPT, kind, language }, 'Acme Coffee'));
      expect(composed.ok).toBe(true);
      expect(composed.ok && composed.text).toContain('Acme Coffee');
      for (const what of ['received', 'already_open', 'declined'] as const) expect(replyText(language, what, 'Acme Coffee').length).toBeGreaterThan(5);
    });

    it('asks in English as the issue words it', () => {
      expect(promptButtons({ id: PROMPT, kind: 'erasure', language: 'en' }, 'Acme Coffee')).toEqual({
        body: 'Do you want Acme Coffee to erase all your data? This cannot be undone.',
        buttons: [
          { id: `privacy:${PROMPT}:yes`, title: 'Yes, erase' },
          { id: `privacy:${PROMPT}:no`, title: 'No' },
        ],
      });
      expect(replyText('en', 'received', 'Acme Coffee')).toBe('Your request was received; Acme Coffee will answer within 30 days.');
    });
  });

  describe('what ingest hands over', () => {
    const base = { contactId: 'c', conversationId: 'v', phoneNumberId: 'p', sentAt: new Date(0) };
    it("takes the customer's short texts and their taps on privacy buttons, nothing else", () => {
      const found = keywordCandidates([
        { ...base, id: '1', type: 'text', text: 'delete my data', content: {} },
        { ...base, id: '2', type: 'text', text: 'x'.repeat(121), content: {} },
        { ...base, id: '3', type: 'text', text: 'delete my data', content: {}, echo: true },
        { ...base, id: '4', type: 'interactive', text: 'Yes, erase', content: { kind: 'button_reply', replyId: buttonId(PROMPT, 'yes') } },
        { ...base, id: '5', type: 'interactive', text: 'Yes', content: { kind: 'button_reply', replyId: 'order-yes' } },
        { ...base, id: '6', type: 'image', text: 'delete my data', content: {} },
      ]);
      expect(found.map((c) => [c.messageId, c.text, c.buttonId])).toEqual([
        ['1', 'delete my data', null],
        ['4', null, buttonId(PROMPT, 'yes')],
      ]);
    });
  });
});
