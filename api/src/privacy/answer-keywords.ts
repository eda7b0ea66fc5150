// A customer asks for their data, or its erasure, in WhatsApp itself. After ingest commits, the
// customer's short texts are matched against the tenant's privacy keywords; a match is answered with a
// confirmation question as reply buttons, in the keyword's language. A tap on "yes" opens a privacy
// request (source whatsapp, RECEIVED: it waits for an admin to approve or reject it) and says so; "no"
// is acknowledged and opens nothing; a button of a question that is stale, answered, superseded,
// another customer's or another tenant's does nothing at all.
//
// Everything sent here is authored by the system and goes the way every message goes: a row and its
// send job in this transaction, inside the 24-hour window the customer's own message just opened. It
// is sent whatever the contact's restriction, opt-out or consent: answering the customer's own request
// about their data is not processing those refuse.
//
// This runs after the ingest transaction, like the other post-commit work (afterIngest): a process that
// stops in between loses the question, and the customer, who got no answer, writes again. A redelivered
// message asks nothing twice (the prompt is unique per message); ingest never hands over a message twice.
import type { Sql, TransactionSql } from '@switchboard/db/connect';
import { withTenant } from '@switchboard/db/tenant';
import { composeButtons, composeText, type Composed } from '../messaging/compose.ts';
import { insertOutboundWithJob } from '../messaging/outbound-repository.ts';
import type { ChangeSet } from '../pubsub/change-events.ts';
import { openPrivacyRequest } from './request-repository.ts';
import { findSubject } from './subject.ts';
import { compileKeywords, matchPrivacyKeyword, parseButtonId, promptButtons, replyText, type KeywordCandidate, type KeywordLanguage, type KeywordMatch, type PromptAnswer } from './keywords.ts';
import {
  answerPrompt,
  findBusinessName,
  findKeywordSets,
  findOpenWhatsAppRequest,
  insertPrompt,
  setPromptMessage,
  setPromptRequest,
} from './keyword-repository.ts';

type Work =
  | { c: KeywordCandidate; answer: { promptId: string; answer: PromptAnswer }; keyword: null }
  | { c: KeywordCandidate; answer: null; keyword: KeywordMatch };

/** Answers the keywords and button taps among `candidates`; returns what it sent, for subscribers. */
export async function answerPrivacyKeywords(sql: Sql, tenantId: string, candidates: KeywordCandidate[]): Promise<ChangeSet> {
  if (candidates.length === 0) return {};
  return withTenant(sql, tenantId, async (tx) => {
    const keywords = compileKeywords(await findKeywordSets(tx));
    const ordered = [...candidates].sort((a, b) => a.at.getTime() - b.at.getTime());
    const work = ordered.flatMap((c): Work[] => {
      const answer = parseButtonId(c.buttonId);
      if (answer) return [{ c, answer, keyword: null }];
      const keyword = matchPrivacyKeyword(keywords, c.text);
      return keyword ? [{ c, answer: null, keyword }] : [];
    });
    if (work.length === 0) return {};

    const business = await findBusinessName(tx);
    const sent: [string, string][] = [];
    const send = async (c: KeywordCandidate, composed: Composed) => {
      if (!composed.ok) throw new Error(`privacy keyword reply does not compose: ${composed.field}`);
      const { id } = await insertOutboundWithJob(tx, tenantId, {
        conversationId: c.conversationId,
        phoneNumberId: c.phoneNumberId,
        type: composed.type,
        text: composed.text,
        content: composed.content,
        replyTo: null,
        authorId: null,
      });
      sent.push([id, c.conversationId]);
      return id;
    };

    for (const { c, answer, keyword } of work) {
      if (keyword) {
        const prompt = await insertPrompt(tx, { contactId: c.contactId, kind: keyword.kind, language: keyword.language, triggerMessageId: c.messageId });
        if (!prompt) continue;
        const messageId = await send(c, composeButtons(promptButtons(prompt, business)));
        await setPromptMessage(tx, prompt.id, messageId);
        continue;
      }
      const prompt = await answerPrompt(tx, { promptId: answer.promptId, contactId: c.contactId, answer: answer.answer });
      if (!prompt) continue;
      if (answer.answer === 'no') {
        await send(c, composeText(replyText(prompt.language, 'declined', business)));
        continue;
      }
      const opened = await openRequest(tx, tenantId, prompt);
      if (!opened) continue;
      await send(c, composeText(replyText(prompt.language, opened.fresh ? 'received' : 'already_open', business)));
    }
    return { conversationIds: [...new Set(sent.map(([, conversationId]) => conversationId))], messages: sent };
  });
}

/** The customer's request: a new one, RECEIVED and waiting for an admin, or the one of this kind already open. */
async function openRequest(
  tx: TransactionSql,
  tenantId: string,
  prompt: { id: string; contactId: string; kind: 'access' | 'erasure'; language: KeywordLanguage },
): Promise<{ id: string; fresh: boolean } | null> {
  const existing = await findOpenWhatsAppRequest(tx, prompt.contactId, prompt.kind);
  if (existing) {
    await setPromptRequest(tx, prompt.id, existing);
    return { id: existing, fresh: false };
  }
  const found = await findSubject(tx, { contactId: prompt.contactId });
  if (!found.ok || found.subject.kind !== 'contact' || found.subject.erased) return null;
  const request = await openPrivacyRequest(tx, tenantId, {
    kind: prompt.kind,
    subject: found.subject,
    source: 'whatsapp',
    actor: { kind: 'customer', id: prompt.contactId },
  });
  await setPromptRequest(tx, prompt.id, request.id);
  return { id: request.id, fresh: true };
}
