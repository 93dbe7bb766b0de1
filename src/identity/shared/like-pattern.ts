/** Escapes `%`, `_` and `\` so a user's text matches literally inside ILIKE '%...%'. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}
