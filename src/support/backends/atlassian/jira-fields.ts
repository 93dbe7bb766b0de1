import { FailedDependencyException } from '../../../common/errors/app.exception';
import type { JiraClient } from './jira.client';
import type { JiraField } from './jira.types';

/** A field found by name: its id and the schema type that decides how values are written. */
export interface ResolvedField {
  id: string;
  name: string;
  /** `schema.type`, e.g. `string`, `option`, `user`, `array`, `number`. */
  type: string | undefined;
  /** `schema.items` for arrays, e.g. `user`. */
  items: string | undefined;
}

/** How long the field list is reused before it is read again, so fields added in Jira are found. */
const FIELD_LIST_TTL_MS = 10 * 60_000;

/**
 * Resolves field names from settings to Jira field ids through `GET /rest/api/2/field`,
 * with the list cached. Custom field ids differ per instance and names are not unique:
 * Jira has a system "Project", and a custom field may share the name. So a name is
 * matched against custom fields first, then system fields. A setting may also give the
 * id itself (`customfield_10050`) or the clause name (`cf[10050]`).
 */
export class JiraFieldResolver {
  private cache?: { loadedAt: number; fields: Promise<JiraField[]> };

  constructor(
    private readonly client: JiraClient,
    private readonly now: () => number = Date.now,
  ) {}

  /** Returns the field, or undefined for an empty name or a name Jira does not know. Throws when the name is ambiguous. */
  async find(name: string): Promise<ResolvedField | undefined> {
    const wanted = name.trim();
    if (!wanted) return undefined;
    const fields = await this.fields();

    const byId = fields.find((field) => field.id === wanted);
    if (byId) return resolved(byId);

    const lower = wanted.toLowerCase();
    const matches = fields.filter((field) => field.name.toLowerCase() === lower || clauseNames(field).some((clause) => clause.toLowerCase() === lower));
    const custom = matches.filter((field) => field.custom);
    const candidates = custom.length > 0 ? custom : matches;
    if (candidates.length > 1) {
      const clauses = candidates.map((field) => clauseNames(field).find((clause) => clause.startsWith('cf[')) ?? field.id).join(', ');
      throw new FailedDependencyException(
        `Jira has several fields named "${wanted}" (${clauses}). Set the setting to one of these clause names instead of the name.`,
      );
    }
    return candidates[0] ? resolved(candidates[0]) : undefined;
  }

  /** Like `find`, but a name Jira does not know is an error naming the setting. */
  async require(name: string, setting: string): Promise<ResolvedField> {
    const field = await this.find(name);
    if (!field) throw new FailedDependencyException(`Jira has no field named "${name}", which ${setting} names.`);
    return field;
  }

  /** Lists every field, as Jira returns them. */
  async all(): Promise<JiraField[]> {
    return this.fields();
  }

  private fields(): Promise<JiraField[]> {
    const now = this.now();
    if (!this.cache || now - this.cache.loadedAt > FIELD_LIST_TTL_MS) {
      const fields = this.client.listFields();
      this.cache = { loadedAt: now, fields };
      fields.catch(() => {
        if (this.cache?.fields === fields) this.cache = undefined;
      });
    }
    return this.cache.fields;
  }
}

/** Clause names are a list in Jira; some captured payloads give one string. */
export function clauseNames(field: JiraField): string[] {
  if (Array.isArray(field.clauseNames)) return field.clauseNames.filter((name): name is string => typeof name === 'string');
  return typeof field.clauseNames === 'string' ? [field.clauseNames] : [];
}

function resolved(field: JiraField): ResolvedField {
  return { id: field.id, name: field.name, type: field.schema?.type, items: field.schema?.items };
}
