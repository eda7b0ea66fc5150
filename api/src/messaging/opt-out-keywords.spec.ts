import { describe, expect, it } from 'vitest';
import { confirmationText, matchKeyword, type Keyword } from './opt-out-keywords.ts';

// One word per language and action, as a customer would type it, with the language the reply must use.
const STOPS: [string, Keyword['language']][] = [
  ['STOP', 'en'],
  ['BAJA', 'es'],
  ['PARAR', 'es'],
  ['SAIR', 'pt'],
  ['ARRET', 'fr'],
  ['Arrêt', 'fr'],
  ['STOPP', 'de'],
  ['ANNULLA', 'it'],
  ['إلغاء', 'ar'],
  ['הסר', 'he'],
];
const STARTS: [string, Keyword['language']][] = [
  ['START', 'en'],
  ['ALTA', 'es'],
  ['VOLTAR', 'pt'],
  ['REPRENDRE', 'fr'],
  ['ANMELDEN', 'de'],
  ['RIPRENDI', 'it'],
  ['اشتراك', 'ar'],
  ['הרשמה', 'he'],
];

describe('opt-out keywords', () => {
  describe('a message that is only a stop word opts out, in each of the 8 languages', () => {
    it.each(STOPS)('%s stops, answered in %s', (word, language) => {
      expect(matchKeyword(word)).toEqual({ action: 'stop', language });
    });

    it('covers every language the confirmations are written in', () => {
      expect(new Set(STOPS.map(([, l]) => l))).toEqual(new Set(['en', 'es', 'pt', 'fr', 'de', 'it', 'ar', 'he']));
      expect(new Set(STARTS.map(([, l]) => l))).toEqual(new Set(['en', 'es', 'pt', 'fr', 'de', 'it', 'ar', 'he']));
    });
  });

  describe('a message that is only a start word resumes, in each of the 8 languages', () => {
    it.each(STARTS)('%s starts, answered in %s', (word, language) => {
      expect(matchKeyword(word)).toEqual({ action: 'start', language });
    });
  });

  describe('what counts as "only the word"', () => {
    it('ignores case, surrounding spaces and punctuation', () => {
      expect(matchKeyword('  stop!! ')).toEqual({ action: 'stop', language: 'en' });
      expect(matchKeyword('¡Baja!')).toEqual({ action: 'stop', language: 'es' });
      expect(matchKeyword('"STOPP."')).toEqual({ action: 'stop', language: 'de' });
      expect(matchKeyword('Opt-Out')).toEqual({ action: 'stop', language: 'en' });
    });

    it('does not opt out a customer who uses the word inside a sentence', () => {
      expect(matchKeyword('Please stop by the shop tomorrow')).toBeNull();
      expect(matchKeyword('I want to start an order')).toBeNull();
      expect(matchKeyword('הסר את ההזמנה השנייה בבקשה')).toBeNull();
    });

    it('ignores empty, missing and long messages', () => {
      expect(matchKeyword('')).toBeNull();
      expect(matchKeyword(null)).toBeNull();
      expect(matchKeyword(undefined)).toBeNull();
      expect(matchKeyword(`stop${' '.repeat(40)}`)).toBeNull();
    });
  });

  describe('the confirmation', () => {
    it('is in the language of the word, and names the word that undoes it', () => {
      expect(confirmationText({ action: 'stop', language: 'en' })).toContain('START');
      expect(confirmationText({ action: 'stop', language: 'es' })).toContain('ALTA');
      expect(confirmationText({ action: 'start', language: 'es' })).toContain('BAJA');
      expect(confirmationText({ action: 'stop', language: 'fr' })).toContain('REPRENDRE');
      expect(confirmationText({ action: 'start', language: 'de' })).toContain('STOPP');
      expect(confirmationText({ action: 'stop', language: 'ar' })).toContain('اشتراك');
      expect(confirmationText({ action: 'stop', language: 'he' })).toContain('הרשמה');
    });

    it('tells the customer a word that itself resumes or stops', () => {
      for (const language of ['en', 'es', 'pt', 'fr', 'de', 'it', 'ar', 'he'] as const) {
        for (const action of ['stop', 'start'] as const) {
          const reply = confirmationText({ action, language });
          const opposite = action === 'stop' ? 'start' : 'stop';
          // The quoted or upper-case word in the reply is one the customer can send back.
          const offered = reply.match(/"([^"]+)"|\b([A-ZÀ-Ü]{3,})\b/u);
          expect(offered, `${language} ${action}: ${reply}`).not.toBeNull();
          expect(matchKeyword(offered![1] ?? offered![2])?.action).toBe(opposite);
        }
      }
    });
  });
});
