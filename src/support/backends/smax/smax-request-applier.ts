import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { parseUuid } from '../../../common/http/uuid';
import { SyncState } from '../../common/sync-state';
import { Issue } from '../../issues/issue.entity';
import { remoteChange, runWithChangeContext } from '../../sync/common/change-origin';
import { acceptIfNewer } from '../../sync/inbox/remote-versions';
import { FileStorage } from '../../../storage/file-storage';
import { SmaxAttachmentDownloads } from './smax-attachment-downloads';
import { SmaxBackend } from './smax.backend';
import { SmaxRequestSnapshot } from './smax.mapper';

export const SMAX_BACKEND_NAME = 'smax';

/** Object type under which applied Request versions are recorded in `sync_remote_versions`. */
export const SMAX_REQUEST_OBJECT = 'request';

/** Outcome of applying one Request to our copy. */
export type RequestApplyOutcome =
  | { status: 'applied'; issueUuid: string }
  /** The Request's version was applied before, so nothing changed. */
  | { status: 'not-newer'; issueUuid: string }
  /** No issue of ours belongs to the Request: SMAX agents made it, or the issue was deleted. */
  | { status: 'not-ours' };

/**
 * The one code path by which webhooks and pulls apply a SMAX Request to our copy. It finds
 * the issue by its linked Request Id, or by the reference line our create wrote into the
 * description when the create's response has not been applied yet. It reads the comments
 * first, then in one transaction records the Request's `LastUpdateTime` with `acceptIfNewer`
 * and applies only a newer version. Everything runs as a remote change, so nothing it writes
 * is pushed back to SMAX. After the commit it removes the stored files of attachments SMAX
 * dropped and downloads the files agents attached. Requests that belong to no issue of ours are left alone, as Waldur
 * does.
 */
@Injectable()
export class SmaxRequestApplier {
  private readonly logger = new Logger(SmaxRequestApplier.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly storage: FileStorage,
    private readonly downloads: SmaxAttachmentDownloads,
  ) {}

  apply(backend: SmaxBackend, request: SmaxRequestSnapshot): Promise<RequestApplyOutcome> {
    return runWithChangeContext(remoteChange(SMAX_BACKEND_NAME), () => this.applyRemote(backend, request));
  }

  private async applyRemote(backend: SmaxBackend, request: SmaxRequestSnapshot): Promise<RequestApplyOutcome> {
    const issueId = await this.findIssueId(request);
    if (issueId === undefined) return { status: 'not-ours' };
    const state = await backend.readIssueState(request);

    const orphanedKeys: string[] = [];
    const outcome = await this.dataSource.transaction(async (manager): Promise<RequestApplyOutcome> => {
      const issue = await manager.findOne(Issue, { where: { id: issueId }, lock: { mode: 'pessimistic_write' } });
      if (!issue) return { status: 'not-ours' };
      const version = request.version;
      if (version !== undefined && !(await acceptIfNewer(manager, SMAX_BACKEND_NAME, SMAX_REQUEST_OBJECT, request.id, version))) {
        return { status: 'not-newer', issueUuid: issue.uuid };
      }

      if (issue.backendId !== request.id) {
        // The create's response is not applied yet (or was lost): link the issue as it would.
        const link: Partial<Issue> = { backendId: request.id, backendName: SMAX_BACKEND_NAME, key: issue.key || request.id, state: SyncState.OK };
        await manager.update(Issue, issue.id, link);
        Object.assign(issue, link);
        this.logger.log(`Linked issue ${issue.uuid} to SMAX Request ${request.id} by the reference in its description`);
      }
      const result = await backend.applyIssueState(issue, state, manager);
      orphanedKeys.push(...result.orphanedStorageKeys);
      return { status: 'applied', issueUuid: issue.uuid };
    });
    if (outcome.status === 'not-ours') return outcome;
    await this.removeStoredFiles(orphanedKeys);
    await this.downloads.fetchMissing(backend, issueId);
    return outcome;
  }

  private async removeStoredFiles(keys: string[]): Promise<void> {
    for (const key of keys) {
      try {
        await this.storage.delete(key);
      } catch (error) {
        this.logger.warn(`Removing stored file ${key} of an attachment SMAX dropped failed: ${(error as Error).message}`);
      }
    }
  }

  /** Finds our issue's id for the Request, by its linked Request Id, else by the reference line. */
  private async findIssueId(request: SmaxRequestSnapshot): Promise<number | undefined> {
    const issues = this.dataSource.getRepository(Issue);
    const linked = await issues.findOne({ select: { id: true }, where: { backendName: SMAX_BACKEND_NAME, backendId: request.id } });
    if (linked) return linked.id;

    const uuid = parseUuid(request.issueReference);
    if (!uuid) return undefined;
    const referenced = await issues.findOne({ select: { id: true, backendId: true }, where: { uuid, backendName: SMAX_BACKEND_NAME } });
    if (!referenced) return undefined;
    if (referenced.backendId !== null && referenced.backendId !== request.id) {
      this.logger.warn(
        `SMAX Request ${request.id} names issue ${uuid} in its description, but that issue is linked to Request ${referenced.backendId}; ` +
          'the Request is not applied',
      );
      return undefined;
    }
    return referenced.id;
  }
}
