// Privacy requests by keyword in WhatsApp: the phrases (built-in per language, or a tenant's own), how a
// message is matched against them, and the words of the confirmation question and the answers to it.
// A message matches when it is the phrase and nothing more (case, accents and marks, surrounding or
// repeated punctuation, symbols and spaces aside): "delete my data!" asks, "can you delete my data
// after my order ships?" does not. The question goes out as reply buttons whose ids name the prompt.
// https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-reply-buttons-messages
import { matchKeyword as matchOptOutKeyword } from '../messaging/opt-out-keywords.ts';

export const KEYWORD_LANGUAGES = ['en', 'es', 'ar', 'he'] as const;
export type KeywordLanguage = (typeof KEYWORD_LANGUAGES)[number];
export const KEYWORD_KINDS = ['access', 'erasure'] as const;
export type KeywordKind = (typeof KEYWORD_KINDS)[number];

/** At most this many phrases per language and kind, each at most this long once normalised. */
export const MAX_PHRASES = 20;
export const MAX_PHRASE_LENGTH = 60;
/** Longer messages are never a keyword: they are not looked at. */
const MAX_MESSAGE_LENGTH = 120;
/** A question not answered within this is stale: its buttons do nothing. */
export const PROMPT_TTL_HOURS = 24;

export const DEFAULT_PHRASES: Record<KeywordLanguage, Record<KeywordKind, string[]>> = {
  en: {
    erasure: ['delete my data', 'erase my data', 'remove my data', 'delete my personal data', 'erase my personal data'],
    access: ['my data', 'send me my data', 'access my data', 'copy of my data', 'a copy of my data'],
  },
  es: {
    erasure: ['borrar mis datos', 'eliminar mis datos', 'borra mis datos', 'elimina mis datos', 'borrar mis datos personales', 'eliminar mis datos personales'],
    access: ['mis datos', 'envíame mis datos', 'enviarme mis datos', 'copia de mis datos', 'acceso a mis datos'],
  },
  ar: {
    erasure: ['احذف بياناتي', 'حذف بياناتي', 'امسح بياناتي', 'احذفوا بياناتي', 'مسح بياناتي'],
    access: ['بياناتي', 'أرسل بياناتي', 'ارسلوا بياناتي', 'نسخة من بياناتي'],
  },
  he: {
    erasure: ['מחק את המידע שלי', 'מחקו את המידע שלי', 'מחיקת המידע שלי', 'מחק את הנתונים שלי', 'מחיקת הנתונים שלי'],
    access: ['המידע שלי', 'שלחו לי את המידע שלי', 'שלח לי את המידע שלי', 'עותק של המידע שלי', 'הנתונים שלי'],
  },
};

/**
 * The form phrases are compared in: Unicode compatibility forms folded (NFKC), lower case, combining marks
 * dropped (accents, Hebrew points, Arabic vowel signs and hamza on alef), Arabic tatweel and invisible
 * direction marks removed, and every run of punctuation, symbols and spaces one space, trimmed.
 */
export function normalisePhrase(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\p{M}\p{Cf}\u0640]/gu, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\u0649/g, '\u064a')
    .replace(/[\p{P}\p{S}\p{Z}\s]+/gu, ' ')
    .trim();
}

export interface KeywordSet {
  language: KeywordLanguage;
  kind: KeywordKind;
  phrases: string[];
}

export interface KeywordMatch {
  language: KeywordLanguage;
  kind: KeywordKind;
}

/** Every language and kind with the phrases in force: the tenant's set where it has one, else the built-in. */
export function effectiveSets(custom: KeywordSet[]): (KeywordSet & { isDefault: boolean })[] {
  return KEYWORD_LANGUAGES.flatMap((language) =>
    KEYWORD_KINDS.map((kind) => {
      const own = custom.find((s) => s.language === language && s.kind === kind);
      return own ? { ...own, isDefault: false } : { language, kind, phrases: DEFAULT_PHRASES[language][kind], isDefault: true };
    }),
  );
}

/** The normalised phrases in force, each with what it asks for and in which language to answer. */
export function compileKeywords(custom: KeywordSet[]): Map<string, KeywordMatch> {
  const compiled = new Map<string, KeywordMatch>();
  for (const set of effectiveSets(custom)) {
    for (const phrase of set.phrases) {
      const key = normalisePhrase(phrase);
      if (key && !compiled.has(key)) compiled.set(key, { language: set.language, kind: set.kind });
    }
  }
  return compiled;
}

export function matchPrivacyKeyword(keywords: Map<string, KeywordMatch>, text: string | null | undefined): KeywordMatch | null {
  if (!text || text.length > MAX_MESSAGE_LENGTH) return null;
  return keywords.get(normalisePhrase(text)) ?? null;
}

export type PhraseCheck = { ok: true; phrases: string[] } | { ok: false; field: string; message: string };

/**
 * A tenant's new phrases for one language and kind: trimmed, duplicates (as compared) dropped, each one
 * within bounds, none an opt-out word (STOP, BAJA… must keep meaning that), and none already asking for
 * something else, or in another language, among the phrases in force.
 */
export function checkPhrases(custom: KeywordSet[], language: KeywordLanguage, kind: KeywordKind, phrases: string[]): PhraseCheck {
  if (phrases.length > MAX_PHRASES) return { ok: false, field: 'phrases', message: `At most ${MAX_PHRASES} phrases per language and kind.` };
  const others = compileKeywords(custom.filter((s) => !(s.language === language && s.kind === kind)).concat({ language, kind, phrases: [] }));
  const kept: string[] = [];
  const seen = new Set<string>();
  for (const [i, raw] of phrases.entries()) {
    const phrase = raw.trim().replace(/\s+/g, ' ');
    const key = normalisePhrase(phrase);
    const field = `phrases.${i}`;
    if (!key) return { ok: false, field, message: 'A phrase needs at least one letter or digit.' };
    if (key.length > MAX_PHRASE_LENGTH) return { ok: false, field, message: `A phrase is at most ${MAX_PHRASE_LENGTH} characters.` };
    if (matchOptOutKeyword(phrase)) return { ok: false, field, message: `"${phrase}" is an opt-out keyword (it stops or resumes messages); choose another phrase.` };
    const taken = others.get(key);
    if (taken && (taken.language !== language || taken.kind !== kind)) {
      return { ok: false, field, message: `"${phrase}" already asks for ${taken.kind.toUpperCase()} in ${taken.language}; a phrase can mean one thing only.` };
    }
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(phrase);
  }
  return { ok: true, phrases: kept };
}

// ---- the buttons ---------------------------------------------------------------------------------

const BUTTON_ID = /^privacy:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}):(yes|no)$/;

export type PromptAnswer = 'yes' | 'no';

export function buttonId(promptId: string, answer: PromptAnswer): string {
  return `privacy:${promptId}:${answer}`;
}

export function parseButtonId(id: string | null | undefined): { promptId: string; answer: PromptAnswer } | null {
  const m = id ? BUTTON_ID.exec(id) : null;
  return m ? { promptId: m[1]!, answer: m[2] as PromptAnswer } : null;
}

// ---- what goes to the customer -------------------------------------------------------------------

interface Words {
  question: Record<KeywordKind, (business: string) => string>;
  yes: Record<KeywordKind, string>;
  no: string;
  received: (business: string) => string;
  alreadyOpen: (business: string) => string;
  declined: string;
}

const WORDS: Record<KeywordLanguage, Words> = {
  en: {
    question: {
      erasure: (b) => `Do you want ${b} to erase all your data? This cannot be undone.`,
      access: (b) => `Do you want to ask ${b} for a copy of all the data it holds about you?`,
    },
    yes: { erasure: 'Yes, erase', access: 'Yes, ask' },
    no: 'No',
    received: (b) => `Your request was received; ${b} will answer within 30 days.`,
    alreadyOpen: (b) => `${b} already has your request and will answer within 30 days.`,
    declined: 'OK, nothing was changed.',
  },
  es: {
    question: {
      erasure: (b) => `¿Quieres que ${b} borre todos tus datos? Esto no se puede deshacer.`,
      access: (b) => `¿Quieres pedir a ${b} una copia de todos los datos que tiene sobre ti?`,
    },
    yes: { erasure: 'Sí, borrar', access: 'Sí, pedir' },
    no: 'No',
    received: (b) => `Hemos recibido tu solicitud; ${b} te responderá en un plazo de 30 días.`,
    alreadyOpen: (b) => `${b} ya tiene tu solicitud y te responderá en un plazo de 30 días.`,
    declined: 'De acuerdo, no se ha cambiado nada.',
  },
  ar: {
    question: {
      erasure: (b) => `هل تريد أن يحذف ${b} جميع بياناتك؟ لا يمكن التراجع عن ذلك.`,
      access: (b) => `هل تريد أن تطلب من ${b} نسخة من جميع البيانات التي يحتفظ بها عنك؟`,
    },
    yes: { erasure: 'نعم، احذف', access: 'نعم، اطلب' },
    no: 'لا',
    received: (b) => `تم استلام طلبك؛ سيرد ${b} خلال 30 يومًا.`,
    alreadyOpen: (b) => `طلبك موجود بالفعل لدى ${b} وسيرد خلال 30 يومًا.`,
    declined: 'حسنًا، لم يتم تغيير أي شيء.',
  },
  he: {
    question: {
      erasure: (b) => `האם ברצונך ש-${b} ימחק את כל המידע שלך? לא ניתן לבטל פעולה זו.`,
      access: (b) => `האם ברצונך לבקש מ-${b} עותק של כל המידע שנשמר עליך?`,
    },
    yes: { erasure: 'כן, למחוק', access: 'כן, לבקש' },
    no: 'לא',
    received: (b) => `בקשתך התקבלה; ${b} ישיב לך תוך 30 יום.`,
    alreadyOpen: (b) => `הבקשה שלך כבר אצל ${b}, והוא ישיב לך תוך 30 יום.`,
    declined: 'בסדר, לא שונה דבר.',
  },
};

/** The confirmation question as reply buttons: yes and no, each naming the prompt. */
export function promptButtons(prompt: { id: string; kind: KeywordKind; language: KeywordLanguage }, business: string) {
  const words = WORDS[prompt.language];
  return {
    body: words.question[prompt.kind](business),
    buttons: [
      { id: buttonId(prompt.id, 'yes'), title: words.yes[prompt.kind] },
      { id: buttonId(prompt.id, 'no'), title: words.no },
    ],
  };
}

export function replyText(language: KeywordLanguage, what: 'received' | 'already_open' | 'declined', business: string): string {
  const words = WORDS[language];
  return what === 'received' ? words.received(business) : what === 'already_open' ? words.alreadyOpen(business) : words.declined;
}

// ---- what ingest hands over ----------------------------------------------------------------------

/** A customer's message that may be a keyword or an answer to a question: looked at after ingest commits. */
export interface KeywordCandidate {
  messageId: string;
  contactId: string;
  conversationId: string;
  phoneNumberId: string;
  at: Date;
  /** A short text message: perhaps a keyword. */
  text: string | null;
  /** A reply button's id that names a prompt. */
  buttonId: string | null;
}

/**
 * The messages worth a look, from those ingest just stored: the customer's short texts and their taps
 * on privacy buttons. Everything else (longer texts, media, echoes of the business's own sends) is not.
 */
export function keywordCandidates(
  messages: { id: string; contactId: string; conversationId: string; phoneNumberId: string; type: string; text: string | null; content: Record<string, unknown>; echo?: boolean; sentAt: Date }[],
): KeywordCandidate[] {
  const found: KeywordCandidate[] = [];
  for (const m of messages) {
    if (m.echo) continue;
    const base = { messageId: m.id, contactId: m.contactId, conversationId: m.conversationId, phoneNumberId: m.phoneNumberId, at: m.sentAt };
    if (m.type === 'text' && m.text && m.text.length <= MAX_MESSAGE_LENGTH) found.push({ ...base, text: m.text, buttonId: null });
    else if (m.type === 'interactive' && m.content.kind === 'button_reply' && typeof m.content.replyId === 'string' && parseButtonId(m.content.replyId)) {
      found.push({ ...base, text: null, buttonId: m.content.replyId });
    }
  }
  return found;
}
