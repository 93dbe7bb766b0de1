import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

import { ValidationFailedException } from '../errors/app.exception';

/** Maps each public `o=` key to the SQL expression it sorts by. */
export type OrderingFields = Record<string, string>;

/**
 * Applies DRF-style `o=field,-field` ordering. Repeated `o` parameters are joined.
 * An unknown key is a 400 listing the accepted ones; the default applies when `o` is absent.
 * A final sort on the primary key keeps pages stable.
 */
export function applyOrdering<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  raw: unknown,
  fields: OrderingFields,
  defaultOrdering: string[],
  tieBreaker = `${query.alias}.id`,
): SelectQueryBuilder<T> {
  const requested = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw])
    .flatMap((value) => String(value).split(','))
    .map((value) => value.trim())
    .filter(Boolean);
  const keys = requested.length > 0 ? requested : defaultOrdering;

  const invalid = keys.filter((key) => !(key.replace(/^-/, '') in fields));
  if (invalid.length > 0) {
    throw ValidationFailedException.field(
      'o',
      `Select a valid choice. ${invalid[0]} is not one of the available choices: ${Object.keys(fields).join(', ')}.`,
    );
  }

  query.orderBy();
  for (const key of keys) {
    const descending = key.startsWith('-');
    query.addOrderBy(fields[key.replace(/^-/, '')], descending ? 'DESC' : 'ASC');
  }
  return query.addOrderBy(tieBreaker, 'DESC');
}
