/** Used when `ATLASSIAN_SUMMARY_TEMPLATE` is empty: the summary as written. */
export const DEFAULT_SUMMARY_TEMPLATE = '{{summary}}';

/** Used when `ATLASSIAN_DESCRIPTION_TEMPLATE` is empty: the description as written. */
export const DEFAULT_DESCRIPTION_TEMPLATE = '{{description}}';

/** The values a summary or description template can use, each as `{{name}}`. */
export const TEMPLATE_VARIABLES = [
  'summary',
  'description',
  'type',
  'priority',
  'uuid',
  'remote_id',
  'caller_name',
  'caller_email',
  'caller_username',
  'customer_name',
  'project_name',
  'resource_name',
  'resource_type',
  'template_name',
] as const;

export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
export type TemplateContext = Record<TemplateVariable, string>;

const PLACEHOLDER = /\{\{\s*([a-zA-Z0-9_]+)\s*\}\}/g;

/**
 * Replaces each `{{name}}` with the value; names outside `TEMPLATE_VARIABLES`
 * and empty values become empty text. An empty template falls back to `fallback`.
 */
export function renderTemplate(template: string, fallback: string, context: TemplateContext): string {
  const source = template.trim() ? template : fallback;
  return source.replace(PLACEHOLDER, (_placeholder, name: string) => (isTemplateVariable(name) ? context[name] : ''));
}

/** Placeholder names in a template that no issue value fills, for settings previews. */
export function unknownTemplateVariables(template: string): string[] {
  const names = [...template.matchAll(PLACEHOLDER)].map((match) => match[1]);
  return [...new Set(names.filter((name) => !isTemplateVariable(name)))];
}

function isTemplateVariable(name: string): name is TemplateVariable {
  return (TEMPLATE_VARIABLES as readonly string[]).includes(name);
}
