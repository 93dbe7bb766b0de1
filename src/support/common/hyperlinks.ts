import { EntityManager, EntityTarget, FindOptionsRelations, FindOptionsWhere, ObjectLiteral } from 'typeorm';

import { ValidationFailedException } from '../../common/errors/app.exception';
import { uuidFromHyperlink } from '../../common/http/api-urls';
import { parseUuid } from '../../common/http/uuid';

export const NO_URL_MATCH = 'Invalid hyperlink - No URL match.';
export const OBJECT_DOES_NOT_EXIST = 'Invalid hyperlink - Object does not exist.';

/** Reads the UUID of a hyperlinked filter or body value; a value that is no such link is a 400 on `field`. */
export function requireHyperlinkUuid(value: unknown, collection: string, field: string): string {
  const uuid = uuidFromHyperlink(value, collection);
  if (!uuid) throw ValidationFailedException.field(field, NO_URL_MATCH);
  return uuid;
}

/** Reads a `*_uuid` filter value; anything but a UUID is a 400 on `field`, as Django's UUID filter does. */
export function requireUuid(value: string, field: string): string {
  const uuid = parseUuid(value);
  if (!uuid) throw ValidationFailedException.field(field, 'Enter a valid UUID.');
  return uuid;
}

/**
 * Loads the object a hyperlink in a request body points to, with DRF's messages for a value
 * that is no link to `collection` and for a link to an object that does not exist.
 */
export async function findByHyperlink<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  value: unknown,
  collection: string,
  field: string,
  relations: FindOptionsRelations<T> = {},
): Promise<T> {
  const uuid = requireHyperlinkUuid(value, collection, field);
  const found = await manager.getRepository(entity).findOne({
    where: { uuid } as unknown as FindOptionsWhere<T>,
    relations,
  });
  if (!found) throw ValidationFailedException.field(field, OBJECT_DOES_NOT_EXIST);
  return found;
}
