import { compareText } from './ems-filter';
import { EntityType, hasProperty, schemaOf } from './entity-schema';
import { EmsEntity, EmsProperties, EmsValue } from './smax-types';

/** Parsed `layout=` value: `FULL_LAYOUT`, own properties and dotted related ones (`RequestedByPerson.Name`). */
export interface Layout {
  full: boolean;
  own: string[];
  related: Map<string, string[]>;
}

/** Invalid layout, order or dotted property name. */
export class LayoutError extends Error {}

/** Looks up a referenced record as queries see it (used for dotted names). */
export type RecordReader = (type: EntityType, id: string) => EmsProperties | undefined;

export function parseLayout(type: EntityType, text: string, alwaysReturned: readonly string[]): Layout {
  const layout: Layout = { full: false, own: [], related: new Map() };
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  if (names.length === 0) {
    throw new LayoutError('The layout parameter lists no properties.');
  }
  for (const name of names) {
    if (name === 'FULL_LAYOUT') {
      layout.full = true;
      continue;
    }
    const [relation, property] = splitDotted(type, name);
    if (property === undefined) {
      layout.own.push(relation);
    } else {
      layout.related.set(relation, [...(layout.related.get(relation) ?? []), property]);
    }
  }
  for (const name of alwaysReturned) {
    if (!layout.own.includes(name)) {
      layout.own.push(name);
    }
  }
  return layout;
}

/**
 * Splits `Relation.Property` into its parts after checking both exist, or
 * returns `[name]` for a plain property of `type`. Raises LayoutError otherwise.
 */
export function splitDotted(type: EntityType, name: string): [string] | [string, string] {
  const parts = name.split('.');
  if (parts.length === 1) {
    if (!hasProperty(type, name)) {
      throw new LayoutError(`Property "${name}" does not exist on entity type ${type}.`);
    }
    return [name];
  }
  const target = schemaOf(type).references[parts[0]];
  if (parts.length !== 2 || !target) {
    throw new LayoutError(`"${name}" is not a related property of ${type}; expected <Relation>.<Property>.`);
  }
  if (!hasProperty(target, parts[1])) {
    throw new LayoutError(`Property "${parts[1]}" does not exist on entity type ${target}.`);
  }
  return [parts[0], parts[1]];
}

/** Reads a plain or dotted property of a record, following the reference for a dotted name. */
export function readProperty(
  type: EntityType,
  properties: EmsProperties,
  name: string,
  readRecord: RecordReader,
): EmsValue | undefined {
  const [relation, property] = splitDotted(type, name);
  if (property === undefined) {
    return properties[relation];
  }
  const target = schemaOf(type).references[relation];
  const id = properties[relation];
  if (id === undefined || id === null) {
    return undefined;
  }
  return readRecord(target, String(id))?.[property];
}

/** Builds the entity as a query returns it; unset properties are left out, as SMAX does. */
export function renderEntity(
  type: EntityType,
  properties: EmsProperties,
  layout: Layout,
  readRecord: RecordReader,
): EmsEntity {
  const selected: EmsProperties = {};
  const names = layout.full ? Object.keys(properties) : layout.own;
  for (const name of names) {
    if (properties[name] !== undefined) {
      selected[name] = properties[name];
    }
  }
  const related: Record<string, EmsProperties> = {};
  for (const [relation, relatedNames] of layout.related) {
    const id = properties[relation];
    const record = id === undefined || id === null ? undefined : readRecord(schemaOf(type).references[relation], String(id));
    if (!record) {
      continue;
    }
    related[relation] = {};
    for (const name of relatedNames) {
      if (record[name] !== undefined) {
        related[relation][name] = record[name];
      }
    }
  }
  return { entity_type: type, properties: selected, related_properties: related };
}

export interface OrderKey {
  property: string;
  descending: boolean;
}

/** Parses `order=LastUpdateTime asc,Id desc`; the direction defaults to ascending. */
export function parseOrder(type: EntityType, text: string): OrderKey[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => {
      const [property, direction = 'asc', ...rest] = part.split(/\s+/);
      if (rest.length > 0 || !['asc', 'desc'].includes(direction.toLowerCase())) {
        throw new LayoutError(`Invalid order "${part}"; expected "<Property> asc" or "<Property> desc".`);
      }
      splitDotted(type, property);
      return { property, descending: direction.toLowerCase() === 'desc' };
    });
}

/** Orders values the way the fake sorts query results: missing first, numbers (and numeric strings) by value, then text. */
export function compareValues(left: EmsValue | undefined, right: EmsValue | undefined): number {
  const leftMissing = left === undefined || left === null;
  const rightMissing = right === undefined || right === null;
  if (leftMissing && rightMissing) {
    return 0;
  }
  if (leftMissing) {
    return -1;
  }
  if (rightMissing) {
    return 1;
  }
  const leftNumber = Number(left);
  const rightNumber = Number(right);
  if (left !== '' && right !== '' && !Number.isNaN(leftNumber) && !Number.isNaN(rightNumber)) {
    return Math.sign(leftNumber - rightNumber);
  }
  return compareText(String(left), String(right));
}
