// Opt-out by keyword. Meta sends nothing special when a customer types "STOP": suppression is ours.
// A message that is only one of these words (any case, surrounding punctuation ignored) stops or
// resumes messages; the confirmation goes out in the language of the word used.
export type Keyword = { action: 'stop' | 'start'; language: 'en' | 'es' | 'pt' | 'fr' | 'de' | 'it' | 'ar' | 'he' };

const WORDS: Record<string, Keyword> = {};
const add = (action: Keyword['action'], language: Keyword['language'], words: string[]) => {
  for (const w of words) WORDS[normalise(w)] = { action, language };
};
add('stop', 'en', ['stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit', 'opt out', 'optout']);
add('stop', 'es', ['baja', 'alto', 'parar', 'detener', 'cancelar', 'darme de baja']);
add('stop', 'pt', ['sair', 'cancelar inscrição', 'descadastrar']);
add('stop', 'fr', ['arret', 'arrêt', 'stop sms', 'desabonner', 'désabonner']);
add('stop', 'de', ['stopp', 'abmelden', 'abbestellen']);
add('stop', 'it', ['annulla', 'disiscrivi', 'basta']);
add('stop', 'ar', ['إلغاء', 'الغاء', 'ايقاف', 'إيقاف', 'توقف']);
add('stop', 'he', ['הסר', 'הסרה', 'עצור', 'בטל']);
add('start', 'en', ['start', 'unstop', 'subscribe', 'resume']);
add('start', 'es', ['alta', 'iniciar', 'reanudar']);
add('start', 'pt', ['voltar', 'retomar']);
add('start', 'fr', ['reprendre']);
add('start', 'de', ['anmelden', 'fortsetzen']);
add('start', 'it', ['riprendi', 'iscrivi']);
add('start', 'ar', ['اشتراك', 'استئناف']);
add('start', 'he', ['הרשמה', 'חידוש']);

function normalise(text: string): string {
  return text
    .normalize('NFC')
    .toLocaleLowerCase()
    .replace(/[\p{P}\p{S}\s]+/gu, ' ')
    .trim();
}

export function matchKeyword(text: string | null | undefined): Keyword | null {
  if (!text || text.length > 40) return null;
  return WORDS[normalise(text)] ?? null;
}

const CONFIRMATIONS: Record<Keyword['language'], Record<Keyword['action'], string>> = {
  en: { stop: 'You will not receive further messages from us. Reply START to resume.', start: 'You are subscribed again. Reply STOP at any time to opt out.' },
  es: { stop: 'No recibirás más mensajes nuestros. Responde ALTA para volver a recibirlos.', start: 'Te has suscrito de nuevo. Responde BAJA en cualquier momento para darte de baja.' },
  pt: { stop: 'Você não receberá mais mensagens nossas. Responda VOLTAR para retomar.', start: 'Você está inscrito novamente. Responda SAIR a qualquer momento para cancelar.' },
  fr: { stop: 'Vous ne recevrez plus de messages de notre part. Répondez REPRENDRE pour les réactiver.', start: 'Vous êtes de nouveau abonné. Répondez ARRET à tout moment pour vous désabonner.' },
  de: { stop: 'Sie erhalten keine weiteren Nachrichten von uns. Antworten Sie ANMELDEN, um sie wieder zu erhalten.', start: 'Sie sind wieder angemeldet. Antworten Sie STOPP, um sich abzumelden.' },
  it: { stop: 'Non riceverai più messaggi da noi. Rispondi RIPRENDI per riattivarli.', start: 'Sei di nuovo iscritto. Rispondi ANNULLA in qualsiasi momento per disiscriverti.' },
  ar: { stop: 'لن تتلقى منا رسائل أخرى. أرسل "اشتراك" للاستئناف.', start: 'تم تفعيل اشتراكك من جديد. أرسل "إلغاء" في أي وقت لإيقافه.' },
  he: { stop: 'לא תקבל/י מאיתנו הודעות נוספות. השב/י "הרשמה" כדי לחדש.', start: 'נרשמת מחדש. השב/י "הסר" בכל עת כדי להפסיק.' },
};

export function confirmationText(keyword: Keyword): string {
  return CONFIRMATIONS[keyword.language][keyword.action];
}
