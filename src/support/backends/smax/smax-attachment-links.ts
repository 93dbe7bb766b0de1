import { Logger } from '@nestjs/common';

import type { RequestAttachmentEntry } from './ems-types';
import { readAfterCreate, ReadAfterCreateWait } from './read-after-create';
import { newAttachmentEntry, readAttachmentEntries, serializeAttachmentEntries, SmaxUploadedFile } from './smax-attachment.mapper';
import { emsIdLiteral, SmaxClient } from './smax.client';
import { SmaxError } from './smax.exception';
import { readNumber, readString } from './smax-values';

/** Read-modify-write rounds before a link or unlink gives up on a Request that keeps changing under it. */
const MAX_WRITE_ROUNDS = 3;

const ATTACHMENTS_LAYOUT = 'Id,RequestAttachments,LastUpdateTime';

interface AttachmentList {
  entries: RequestAttachmentEntry[];
  version: number | undefined;
}

/**
 * Links files to a Request and unlinks them by rewriting its `RequestAttachments` property,
 * a read-modify-write in which a concurrent writer's change can be lost (SMAX keeps the last
 * write). Writes to one Request are serialized within this process, and each write is read
 * back: when another writer replaced the list in between, the change is made again.
 */
export class SmaxAttachmentLinks {
  private readonly logger = new Logger(SmaxAttachmentLinks.name);
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly client: SmaxClient,
    private readonly wait: ReadAfterCreateWait,
  ) {}

  /** Adds the file to the Request's list unless it is there already. */
  link(requestId: string, file: SmaxUploadedFile, creator: string): Promise<void> {
    return this.serialize(requestId, () =>
      this.rewrite(requestId, file.guid, true, (entries) => [...entries, newAttachmentEntry(file, creator)]),
    );
  }

  /** Removes the file from the Request's list; a file that is not listed counts as removed. */
  unlink(requestId: string, guid: string): Promise<void> {
    return this.serialize(requestId, () =>
      this.rewrite(requestId, guid, false, (entries) => entries.filter((entry) => readString(entry.properties.id) !== guid)),
    );
  }

  /** Returns whether the Request lists the file. */
  async isLinked(requestId: string, guid: string): Promise<boolean> {
    const list = await this.read(requestId);
    return list.entries.some((entry) => readString(entry.properties.id) === guid);
  }

  private async rewrite(
    requestId: string,
    guid: string,
    wanted: boolean,
    change: (entries: RequestAttachmentEntry[]) => RequestAttachmentEntry[],
  ): Promise<void> {
    for (let round = 1; round <= MAX_WRITE_ROUNDS; round += 1) {
      const before = await this.read(requestId);
      if (listsFile(before, guid) === wanted) return;

      await this.client.updateEntity('Request', { Id: requestId, RequestAttachments: serializeAttachmentEntries(change(before.entries)) });

      const after = await readAfterCreate(this.wait, async () => {
        const list = await this.read(requestId);
        // Unchanged version: queries do not show the write yet, so read again.
        return list.version !== undefined && list.version === before.version ? undefined : list;
      });
      if (!after || listsFile(after, guid) === wanted) return;
      this.logger.warn(`Another writer replaced the attachments of SMAX Request ${requestId}; writing again (round ${round})`);
    }
    throw new SmaxError(
      `The attachments of SMAX Request ${requestId} kept changing; ${wanted ? 'linking' : 'unlinking'} file ${guid} gave up after ${MAX_WRITE_ROUNDS} rounds.`,
      { retryable: true },
    );
  }

  private async read(requestId: string): Promise<AttachmentList> {
    const page = await this.client.query('Request', { layout: ATTACHMENTS_LAYOUT, filter: `Id = ${emsIdLiteral(requestId)}` });
    const properties = page.entities.find((entity) => readString(entity.properties?.Id) === requestId)?.properties;
    if (!properties) {
      throw new SmaxError(`SMAX Request ${requestId} was not found while changing its attachments.`, { status: 404, retryable: true });
    }
    const result = readAttachmentEntries(properties.RequestAttachments);
    if (!result.readable) {
      throw new SmaxError(`The attachments of SMAX Request ${requestId} cannot be read: ${result.reason}`, { status: 200, retryable: false });
    }
    return { entries: result.entries, version: readNumber(properties.LastUpdateTime) };
  }

  /** Runs `work` after every earlier write to the same Request has finished. */
  private serialize<T>(requestId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(requestId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    const settled = next.catch(() => undefined);
    this.queues.set(requestId, settled);
    void settled.then(() => {
      if (this.queues.get(requestId) === settled) this.queues.delete(requestId);
    });
    return next;
  }
}

function listsFile(list: AttachmentList, guid: string): boolean {
  return list.entries.some((entry) => readString(entry.properties.id) === guid);
}
