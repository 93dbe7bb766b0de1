import { FakeClock } from './clock';
import { ENTITY_TYPES, EntityType } from './entity-schema';
import { SEED_CATEGORIES, SEED_PERSONS } from './seed';
import { EmsProperties, StoredComment, StoredFile, StoredRelationship } from './smax-types';

/** One state of a record and the time from which EMS queries see it. */
interface Version {
  visibleAt: number;
  properties: EmsProperties;
}

const FIRST_ID: Record<EntityType, number> = { Person: 10001, ITProcessRecordCategory: 20001, Request: 50001 };

/**
 * In-memory records of the fake. Every write keeps the older versions that
 * queries may still see while the configured visibility delay runs, so a
 * record can lag behind its last write the way SMAX queries do.
 */
export class SmaxStore {
  private readonly records = new Map<EntityType, Map<string, Version[]>>();
  private readonly comments = new Map<string, StoredComment[]>();
  readonly files = new Map<string, StoredFile>();
  readonly relationships: StoredRelationship[] = [];
  private readonly nextIds = new Map<EntityType, number>();
  private lastTimestamp = 0;
  private uuidSequence = 0;

  constructor(
    private readonly clock: FakeClock,
    private readonly visibilityDelayMs: (type: EntityType) => number,
  ) {
    this.reset();
  }

  /** Drops every record, comment, file and link, restarts the id sequences and seeds the fixed records. */
  reset(): void {
    this.records.clear();
    this.comments.clear();
    this.files.clear();
    this.relationships.length = 0;
    this.lastTimestamp = 0;
    this.uuidSequence = 0;
    for (const type of ENTITY_TYPES) {
      this.records.set(type, new Map());
      this.nextIds.set(type, FIRST_ID[type]);
    }
    for (const person of SEED_PERSONS) {
      this.create('Person', person, 0);
    }
    for (const category of SEED_CATEGORIES) {
      this.create('ITProcessRecordCategory', category, 0);
    }
  }

  /** Returns an epoch-millisecond time later than every one handed out before, so each change moves `LastUpdateTime`. */
  nextTimestamp(): number {
    this.lastTimestamp = Math.max(this.clock.now(), this.lastTimestamp + 1);
    return this.lastTimestamp;
  }

  /** Returns the current time, but never earlier than a `LastUpdateTime` already handed out. */
  latestTimestamp(): number {
    return Math.max(this.clock.now(), this.lastTimestamp);
  }

  /** Returns the next UUID of a deterministic sequence (comment ids and file guids). */
  nextUuid(): string {
    this.uuidSequence += 1;
    return `5a4f0000-0000-4000-8000-${this.uuidSequence.toString(16).padStart(12, '0')}`;
  }

  /** Inserts a record with a new Id and returns its stored properties. */
  create(type: EntityType, properties: EmsProperties, delayMs = this.visibilityDelayMs(type)): EmsProperties {
    const id = String(this.nextIds.get(type));
    this.nextIds.set(type, Number(id) + 1);
    const time = this.nextTimestamp();
    const stored: EmsProperties = { Id: id, ...dropNulls(properties), EmsCreationTime: time, LastUpdateTime: time };
    this.recordsOf(type).set(id, [{ visibleAt: this.clock.now() + delayMs, properties: stored }]);
    return { ...stored };
  }

  /**
   * Merges `changes` into a record (a null value removes the property), moves
   * `LastUpdateTime` and returns the new properties. The record must exist.
   */
  update(type: EntityType, id: string, changes: EmsProperties): EmsProperties {
    const versions = this.recordsOf(type).get(id);
    if (!versions) {
      throw new Error(`${type} ${id} does not exist`);
    }
    const merged: EmsProperties = { ...versions[versions.length - 1].properties };
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) {
        delete merged[key];
      } else {
        merged[key] = value;
      }
    }
    merged.Id = id;
    merged.LastUpdateTime = this.nextTimestamp();
    const now = this.clock.now();
    versions.push({ visibleAt: now + this.visibilityDelayMs(type), properties: merged });
    this.pruneVersions(versions, now);
    return { ...merged };
  }

  /** Returns the latest properties of a record, whether queries see them yet or not. */
  current(type: EntityType, id: string): EmsProperties | undefined {
    const versions = this.recordsOf(type).get(id);
    return versions ? { ...versions[versions.length - 1].properties } : undefined;
  }

  /** Returns the properties EMS queries see now: the newest version whose visibility delay has passed. */
  visible(type: EntityType, id: string): EmsProperties | undefined {
    const versions = this.recordsOf(type).get(id);
    const now = this.clock.now();
    const version = versions?.findLast((candidate) => candidate.visibleAt <= now);
    return version ? { ...version.properties } : undefined;
  }

  /** Lists records in Id order, either as queries see them now or at their latest state. */
  list(type: EntityType, view: 'visible' | 'current'): EmsProperties[] {
    const result: EmsProperties[] = [];
    for (const id of this.recordsOf(type).keys()) {
      const properties = view === 'visible' ? this.visible(type, id) : this.current(type, id);
      if (properties) {
        result.push(properties);
      }
    }
    return result;
  }

  commentsOf(requestId: string): StoredComment[] {
    return structuredClone(this.comments.get(requestId) ?? []);
  }

  setComments(requestId: string, comments: StoredComment[]): void {
    this.comments.set(requestId, structuredClone(comments));
  }

  private recordsOf(type: EntityType): Map<string, Version[]> {
    const records = this.records.get(type);
    if (!records) {
      throw new Error(`Unknown entity type ${type}`);
    }
    return records;
  }

  /** Drops versions older than the newest one already visible, since no query can see them again. */
  private pruneVersions(versions: Version[], now: number): void {
    let newestVisible = -1;
    versions.forEach((version, index) => {
      if (version.visibleAt <= now) {
        newestVisible = index;
      }
    });
    if (newestVisible > 0) {
      versions.splice(0, newestVisible);
    }
  }
}

function dropNulls(properties: EmsProperties): EmsProperties {
  return Object.fromEntries(Object.entries(properties).filter(([, value]) => value !== null));
}
