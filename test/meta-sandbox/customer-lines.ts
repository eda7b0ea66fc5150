// What simulated customers say, per language: the everyday traffic of a retail contact center
// (where is my order, double charges, refunds, address changes, thanks). Kept apart from the
// simulator so content can grow without touching the sending logic.
import type { Language } from './customer-pool.ts';

export interface CustomerLines {
  /** Opening messages and follow-ups. */
  texts: readonly string[];
  /** Short replies that quote an earlier message. */
  replies: readonly string[];
  /** Captions for photos of parcels, receipts, damaged goods. */
  captions: readonly string[];
  documentName: string;
}

export const customerLines: Readonly<Record<Language, CustomerLines>> = {
  en: {
    texts: [
      "Hi, my order #48213 still hasn't arrived. Can you check where it is?",
      'I was charged twice for order 51877 — can I get a refund for one of them?',
      "Can I still change the delivery address? I won't be home on Thursday.",
      'The grinder arrived with a cracked hopper 😕 what are my options?',
      'Do you deliver on Saturdays?',
      'How long does a refund usually take to show up on my card?',
      'Tracking says delivered but there is nothing at my door.',
    ],
    replies: ['Yes, that one', 'Any update on this?', 'Thanks, that solved it!', 'Still waiting on this 🙏'],
    captions: ['This is how the box arrived', 'Receipt attached', 'The crack is on the left side'],
    documentName: 'receipt-48213.pdf',
  },
  es: {
    texts: [
      'Hola, mi pedido #48213 todavía no ha llegado. ¿Me pueden decir dónde está?',
      'Me cobraron dos veces el pedido 51877, ¿me pueden devolver uno de los cargos?',
      '¿Puedo cambiar la dirección de entrega? El jueves no estaré en casa.',
      'La cafetera llegó con el depósito roto 😞',
      '¿Cuánto tarda el reembolso en aparecer en la tarjeta?',
    ],
    replies: ['Sí, ese', '¿Alguna novedad?', '¡Gracias, ya está resuelto!'],
    captions: ['Así llegó la caja', 'Adjunto el recibo'],
    documentName: 'factura-48213.pdf',
  },
  pt: {
    texts: [
      'Olá, meu pedido #48213 ainda não chegou. Vocês podem verificar?',
      'Fui cobrada duas vezes no pedido 51877, como faço para pedir o reembolso?',
      'Vocês entregam no sábado?',
      'O moedor chegou com defeito, não liga 😕',
      'Posso trocar o endereço de entrega? Vou estar no trabalho.',
    ],
    replies: ['Isso, esse mesmo', 'Alguma novidade?', 'Obrigado pela ajuda! 🙌'],
    captions: ['A caixa chegou assim', 'Segue o comprovante'],
    documentName: 'comprovante-48213.pdf',
  },
  ar: {
    texts: [
      'مرحبا، طلبي رقم 48213 لم يصل بعد. هل يمكنكم التحقق من مكانه؟',
      'تم خصم المبلغ مرتين للطلب 51877، أريد استرداد أحد المبلغين.',
      'هل يمكنني تغيير عنوان التوصيل؟',
      'وصلت المطحنة مكسورة 😞 ما الحل؟',
      'كم يستغرق استرداد المبلغ؟',
    ],
    replies: ['نعم، هذا هو', 'هل من جديد؟', 'شكرا جزيلا 🙏'],
    captions: ['هكذا وصل الصندوق', 'مرفق الإيصال'],
    documentName: 'فاتورة-48213.pdf',
  },
  he: {
    texts: [
      'שלום, ההזמנה שלי 48213 עדיין לא הגיעה. אפשר לבדוק איפה היא?',
      'חויבתי פעמיים על הזמנה 51877, אפשר לקבל החזר על אחד החיובים?',
      'אפשר לשנות את כתובת המשלוח?',
      'המטחנה הגיעה שבורה 😕',
      'תוך כמה זמן מגיע ההחזר לכרטיס?',
    ],
    replies: ['כן, זאת', 'יש עדכון?', 'תודה רבה! 🙏'],
    captions: ['ככה הקופסה הגיעה', 'מצרפת קבלה'],
    documentName: 'קבלה-48213.pdf',
  },
  hi: {
    texts: [
      'नमस्ते, मेरा ऑर्डर #48213 अभी तक नहीं आया है। कृपया देखें कि यह कहाँ है।',
      'ऑर्डर 51877 के लिए मुझसे दो बार पैसे काटे गए, रिफंड कब मिलेगा?',
      'क्या मैं डिलीवरी का पता बदल सकती हूँ?',
      'ग्राइंडर टूटा हुआ आया है 😞',
      'रिफंड आने में कितने दिन लगते हैं?',
    ],
    replies: ['हाँ, यही वाला', 'कोई अपडेट?', 'धन्यवाद! 😊'],
    captions: ['डिब्बा ऐसे आया', 'रसीद संलग्न है'],
    documentName: 'invoice-48213.pdf',
  },
  de: {
    texts: [
      'Hallo, meine Bestellung #48213 ist noch nicht angekommen. Können Sie nachsehen, wo sie ist?',
      'Mir wurde die Bestellung 51877 doppelt abgebucht – bekomme ich eine Rückerstattung?',
      'Kann ich die Lieferadresse noch ändern? Ich bin am Donnerstag nicht zu Hause.',
      'Die Kaffeemühle ist defekt angekommen 😕',
      'Liefern Sie auch samstags?',
    ],
    replies: ['Ja, genau die', 'Gibt es schon Neuigkeiten?', 'Vielen Dank für die schnelle Hilfe!'],
    captions: ['So kam das Paket an', 'Beleg anbei'],
    documentName: 'Rechnung-48213.pdf',
  },
  fr: {
    texts: [
      "Bonjour, ma commande n°48213 n'est toujours pas arrivée. Pouvez-vous vérifier ?",
      "J'ai été débitée deux fois pour la commande 51877, pouvez-vous me rembourser ?",
      'Est-ce que vous livrez le samedi ?',
      'Le moulin est arrivé cassé 😞 que puis-je faire ?',
      'Combien de temps prend un remboursement ?',
    ],
    replies: ['Oui, celle-là', 'Des nouvelles ?', 'Merci beaucoup ! 🙏'],
    captions: ["Voilà l'état du colis", 'Le reçu en pièce jointe'],
    documentName: 'facture-48213.pdf',
  },
  tr: {
    texts: [
      'Merhaba, 48213 numaralı siparişim hâlâ gelmedi. Kontrol edebilir misiniz?',
      'Sipariş 51877 için iki kez ücret alındı, iade alabilir miyim?',
      'Teslimat adresini değiştirebilir miyim?',
      'Öğütücü kırık geldi 😕',
      'İade kartıma ne zaman yansır?',
    ],
    replies: ['Evet, o', 'Bir gelişme var mı?', 'Çok teşekkürler! 🙏'],
    captions: ['Kutu böyle geldi', 'Fiş ekte'],
    documentName: 'fatura-48213.pdf',
  },
};

/** Our tenant's menus are in English; customers tap them whatever language they write in. */
export const businessButtons: readonly { id: string; title: string }[] = [
  { id: 'track_order', title: 'Track my order' },
  { id: 'talk_to_agent', title: 'Talk to an agent' },
  { id: 'refund_status', title: 'Refund status' },
];

export const businessListRows: readonly { id: string; title: string; description: string }[] = [
  { id: 'topic_delivery', title: 'Delivery', description: 'Where is my order, delivery times, address changes' },
  { id: 'topic_refunds', title: 'Refunds & returns', description: 'Start a return or check on a refund' },
  { id: 'topic_billing', title: 'Billing', description: 'Double charges, invoices, payment methods' },
  { id: 'topic_other', title: 'Something else', description: 'Talk to a person' },
];

export const reactionEmoji: readonly string[] = ['👍', '❤️', '🙏', '😮', '😂'];
