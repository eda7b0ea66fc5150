// Approved templates as the composer offers them: which placeholders a template's body has, the
// values an agent fills in, and the message the customer will read. Named templates take a value per
// `{{name}}`; positional ones a list in order (`{{1}}`, `{{2}}`), as Meta and the api expect.
// https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates/
import type { Template } from '#lib/session/operations.ts';

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

export interface TemplateShape {
	named: boolean;
	/** Placeholder names in the order they first appear (`1`, `2`… for positional templates). */
	parameters: string[];
}

export function templateShape(template: Pick<Template, 'body' | 'parameterFormat'>): TemplateShape {
	const found = [...new Set([...(template.body ?? '').matchAll(PLACEHOLDER)].map((match) => match[1]!))];
	const named = (template.parameterFormat ?? '').toUpperCase() === 'NAMED' || found.some((p) => !/^\d+$/.test(p));
	return { named, parameters: named ? found : found.toSorted((a, b) => Number(a) - Number(b)) };
}

/** The body with the values filled in; a placeholder without a value yet stays visible as `{{name}}`. */
export function fillTemplate(body: string, values: Readonly<Record<string, string>>): string {
	return body.replace(PLACEHOLDER, (whole, name: string) => values[name]?.trim() || whole);
}

/** The `parameters` argument of `sendTemplate`: named values with their names, positional ones in order. */
export function templateParameters(shape: TemplateShape, values: Readonly<Record<string, string>>): { name?: string; value: string }[] {
	return shape.parameters.map((name) => (shape.named ? { name, value: values[name] ?? '' } : { value: values[name] ?? '' }));
}

/** Only approved templates can be sent; by name, then language. */
export function sendableTemplates<T extends Pick<Template, 'status' | 'name' | 'language'>>(templates: readonly T[]): T[] {
	return templates
		.filter((t) => t.status.toUpperCase() === 'APPROVED')
		.toSorted((a, b) => a.name.localeCompare(b.name) || a.language.localeCompare(b.language));
}
