/** An ILIKE pattern matching `value` anywhere, with `%`, `_` and `\` in it taken literally. */
export function containsPattern(value: string): string {
  return `%${value.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}
