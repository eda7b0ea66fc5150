// Turning an agent's reply into exactly what Meta accepts, checking Meta's limits first so a bad
// reply is refused here with a clear reason instead of failing later at Meta.
// https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-reply-buttons-messages
// https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-list-messages
import { MAX_CAPTION_LENGTH, takesCaption, type MediaKind } from '../media/media-types.ts';
import type { TemplateRecord } from './outbound-repository.ts';

export type Composed = { ok: true; type: string; text: string | null; content: Record<string, unknown> } | { ok: false; field: string; message: string };

const fail = (field: string, message: string): Composed => ({ ok: false, field, message });
const within = (value: string | null | undefined, max: number) => value == null || [...value].length <= max;

export function composeText(body: string, previewUrl = false): Composed {
  const text = body.trim();
  if (!text) return fail('body', 'Write something to send.');
  if (!within(text, 4096)) return fail('body', 'Text messages can be at most 4096 characters.');
  return { ok: true, type: 'text', text, content: { body: text, preview_url: previewUrl } };
}

export interface ButtonsInput {
  body: string;
  header?: string | null;
  footer?: string | null;
  buttons: { id: string; title: string }[];
}

export function composeButtons(input: ButtonsInput): Composed {
  if (input.buttons.length < 1 || input.buttons.length > 3) return fail('buttons', 'Reply buttons need 1 to 3 buttons.');
  if (!input.body.trim() || !within(input.body, 1024)) return fail('body', 'The body needs 1 to 1024 characters.');
  if (!within(input.header, 60)) return fail('header', 'The header can be at most 60 characters.');
  if (!within(input.footer, 60)) return fail('footer', 'The footer can be at most 60 characters.');
  const ids = new Set<string>();
  for (const [i, b] of input.buttons.entries()) {
    if (!b.id || !within(b.id, 256)) return fail(`buttons.${i}.id`, 'Button ids need 1 to 256 characters.');
    if (!b.title.trim() || !within(b.title, 20)) return fail(`buttons.${i}.title`, 'Button titles need 1 to 20 characters.');
    if (ids.has(b.id)) return fail(`buttons.${i}.id`, 'Button ids must be unique.');
    ids.add(b.id);
  }
  return {
    ok: true,
    type: 'interactive',
    text: input.body,
    content: {
      type: 'button',
      ...(input.header ? { header: { type: 'text', text: input.header } } : {}),
      body: { text: input.body },
      ...(input.footer ? { footer: { text: input.footer } } : {}),
      action: { buttons: input.buttons.map((b) => ({ type: 'reply', reply: { id: b.id, title: b.title } })) },
    },
  };
}

export interface ListInput {
  body: string;
  button: string;
  header?: string | null;
  footer?: string | null;
  sections: { title?: string | null; rows: { id: string; title: string; description?: string | null }[] }[];
}

export function composeList(input: ListInput): Composed {
  if (!input.body.trim() || !within(input.body, 4096)) return fail('body', 'The body needs 1 to 4096 characters.');
  if (!input.button.trim() || !within(input.button, 20)) return fail('button', 'The list button label needs 1 to 20 characters.');
  if (!within(input.header, 60)) return fail('header', 'The header can be at most 60 characters.');
  if (!within(input.footer, 60)) return fail('footer', 'The footer can be at most 60 characters.');
  if (input.sections.length < 1 || input.sections.length > 10) return fail('sections', 'Lists need 1 to 10 sections.');
  const rows = input.sections.flatMap((s) => s.rows);
  if (rows.length < 1 || rows.length > 10) return fail('sections', 'Lists need 1 to 10 rows in all.');
  if (input.sections.length > 1 && input.sections.some((s) => !s.title?.trim())) return fail('sections', 'With several sections, each needs a title.');
  const ids = new Set<string>();
  for (const [si, s] of input.sections.entries()) {
    if (!within(s.title, 24)) return fail(`sections.${si}.title`, 'Section titles can be at most 24 characters.');
    for (const [ri, r] of s.rows.entries()) {
      const at = `sections.${si}.rows.${ri}`;
      if (!r.id || !within(r.id, 200)) return fail(`${at}.id`, 'Row ids need 1 to 200 characters.');
      if (ids.has(r.id)) return fail(`${at}.id`, 'Row ids must be unique.');
      ids.add(r.id);
      if (!r.title.trim() || !within(r.title, 24)) return fail(`${at}.title`, 'Row titles need 1 to 24 characters.');
      if (!within(r.description, 72)) return fail(`${at}.description`, 'Row descriptions can be at most 72 characters.');
    }
  }
  return {
    ok: true,
    type: 'interactive',
    text: input.body,
    content: {
      type: 'list',
      ...(input.header ? { header: { type: 'text', text: input.header } } : {}),
      body: { text: input.body },
      ...(input.footer ? { footer: { text: input.footer } } : {}),
      action: {
        button: input.button,
        sections: input.sections.map((s) => ({
          ...(s.title ? { title: s.title } : {}),
          rows: s.rows.map((r) => ({ id: r.id, title: r.title, ...(r.description ? { description: r.description } : {}) })),
        })),
      },
    },
  };
}

/**
 * Media by link, by Meta media id, or `uploaded`: a file of ours, whose content then names neither;
 * the send job uploads the file to Meta and adds the id (media/upload-to-meta.ts).
 */
export function composeMedia(
  kind: MediaKind,
  input: { link?: string | null; mediaId?: string | null; uploaded?: boolean; caption?: string | null; filename?: string | null },
): Composed {
  const sources = [input.link, input.mediaId, input.uploaded].filter(Boolean).length;
  if (sources !== 1) return fail('link', 'Give exactly one of a link, a Meta media id or an uploaded media id.');
  if (input.link && !/^https:\/\/\S+$/.test(input.link)) return fail('link', 'Media links must be https URLs.');
  if (input.caption && !takesCaption(kind)) return fail('caption', `${kind} messages cannot have a caption.`);
  if (!within(input.caption, MAX_CAPTION_LENGTH)) return fail('caption', `Captions can be at most ${MAX_CAPTION_LENGTH} characters.`);
  return {
    ok: true,
    type: kind,
    text: input.caption ?? null,
    content: {
      ...(input.link ? { link: input.link } : input.mediaId ? { id: input.mediaId } : {}),
      ...(input.caption ? { caption: input.caption } : {}),
      ...(input.filename && kind === 'document' ? { filename: input.filename } : {}),
    },
  };
}

export function composeReaction(wamid: string, emoji: string): Composed {
  if ([...emoji].length > 10) return fail('emoji', 'A reaction is one emoji (or empty to remove it).');
  return { ok: true, type: 'reaction', text: emoji || null, content: { message_id: wamid, emoji } };
}

/** Placeholders of a template's body: `{{1}}`, `{{2}}` (positional) or `{{first_name}}` (named). */
function placeholders(template: TemplateRecord): string[] {
  const body = template.components.find((c) => String(c.type).toUpperCase() === 'BODY');
  const text = typeof body?.text === 'string' ? body.text : '';
  return [...new Set([...text.matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((m) => m[1]!))];
}

export type TemplateCheck = Composed | { ok: false; parameter: string | null; message: string; template: true };

/**
 * Parameters are checked against the template itself: positional templates take a list in order,
 * named ones a value for every name — no more, no fewer.
 */
export function composeTemplate(template: TemplateRecord, parameters: { name?: string | null; value: string }[]): TemplateCheck {
  const wanted = placeholders(template);
  const named = (template.parameterFormat ?? '').toUpperCase() === 'NAMED' || wanted.some((p) => !/^\d+$/.test(p));
  const bad = (parameter: string | null, message: string): TemplateCheck => ({ ok: false, parameter, message, template: true });
  for (const p of parameters) if (!p.value.trim() || p.value.length > 1024) return bad(p.name ?? null, 'Template parameter values need 1 to 1024 characters.');
  let filled: string;
  let bodyParameters: Record<string, unknown>[];
  const bodyText = String(template.components.find((c) => String(c.type).toUpperCase() === 'BODY')?.text ?? '');
  if (named) {
    const given = new Map(parameters.map((p) => [p.name ?? '', p.value]));
    for (const name of wanted) if (!given.has(name)) return bad(name, `The template needs a value for {{${name}}}.`);
    for (const name of given.keys()) if (!wanted.includes(name)) return bad(name || null, `The template has no parameter named ${name || '(unnamed)'}.`);
    bodyParameters = wanted.map((name) => ({ type: 'text', parameter_name: name, text: given.get(name)! }));
    filled = bodyText.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_m, name: string) => given.get(name) ?? '');
  } else {
    if (parameters.some((p) => p.name)) return bad(parameters.find((p) => p.name)!.name!, 'This template takes positional parameters, without names.');
    if (parameters.length !== wanted.length) return bad(null, `The template takes ${wanted.length} parameter(s); ${parameters.length} given.`);
    bodyParameters = parameters.map((p) => ({ type: 'text', text: p.value }));
    filled = bodyText.replace(/\{\{\s*(\d+)\s*\}\}/g, (_m, n: string) => parameters[Number(n) - 1]?.value ?? '');
  }
  return {
    ok: true,
    type: 'template',
    text: filled || template.name,
    content: {
      name: template.name,
      language: { code: template.language },
      ...(bodyParameters.length ? { components: [{ type: 'body', parameters: bodyParameters }] } : {}),
    },
  };
}
