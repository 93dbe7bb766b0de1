import { Inject, Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';

import { SETTING_KEYS } from '../../../settings/settings.registry';
import { SettingsService } from '../../../settings/settings.service';
import { isFeedbackEnabled } from '../../common/support-settings';
import { OutboxEntry } from '../../sync/outbox/outbox-entry.entity';
import { BLOCKING_STATUSES } from '../../sync/outbox/outbox.repository';
import { AtlassianBackend } from './atlassian.backend';
import { atlassianSettingsFrom } from './atlassian.config';
import type { AttachmentStore } from './attachment-store';
import type { PendingLocalEdits } from './jira-issue-sync';

/** Injection token of the storage for files pulled from Jira; the service's file storage port fits it. */
export const ATLASSIAN_ATTACHMENT_STORE = Symbol('ATLASSIAN_ATTACHMENT_STORE');

const ATLASSIAN_KEYS = SETTING_KEYS.filter((key) => key.startsWith('ATLASSIAN_'));

/** How long a replaced adapter keeps its connections, so calls that started on it can finish. */
const RETIRED_CLIENT_GRACE_MS = 60_000;

/**
 * Builds the Jira adapter from the current `ATLASSIAN_*` settings and keeps it until they
 * change. `SupportBackendProvider` uses it while Jira is the active backend. The outbox,
 * webhooks and pulls use it whatever is active, because issues created in Jira stay
 * there after an admin switches backends.
 */
@Injectable()
export class AtlassianBackendProvider implements OnModuleDestroy {
  private readonly logger = new Logger(AtlassianBackendProvider.name);
  private cached: { key: string; backend: AtlassianBackend } | undefined;

  constructor(
    private readonly settings: SettingsService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional() @Inject(ATLASSIAN_ATTACHMENT_STORE) private readonly store?: AttachmentStore | null,
  ) {}

  current(): AtlassianBackend {
    const values = this.settings.getAll();
    const key = JSON.stringify(ATLASSIAN_KEYS.map((name) => values[name]));
    if (this.cached?.key === key) return this.cached.backend;

    const retired = this.cached?.backend;
    if (retired) setTimeout(() => void retired.closeConnections().catch(() => undefined), RETIRED_CLIENT_GRACE_MS).unref();
    const backend = new AtlassianBackend(atlassianSettingsFrom(values), {
      dataSource: this.dataSource,
      store: this.store ?? undefined,
      feedbackEnabled: () => isFeedbackEnabled(this.settings),
      pendingEdits: pendingAtlassianEdits,
    });
    this.cached = { key, backend };
    this.logger.log(`Jira adapter built for ${values.ATLASSIAN_API_URL || '(no ATLASSIAN_API_URL)'}`);
    return backend;
  }

  async onModuleDestroy(): Promise<void> {
    await this.cached?.backend.closeConnections();
  }
}

/**
 * Reads the outbox rows of an issue that still wait to reach Jira: edits of the issue,
 * edits of comments and deletions of comments. Dead rows count too, because they hold
 * back the issue's later rows until an operator replays or discards them.
 */
export async function pendingAtlassianEdits(manager: EntityManager, issueId: number): Promise<PendingLocalEdits> {
  const rows = await manager.find(OutboxEntry, {
    select: { operation: true, targetId: true, payload: true },
    where: { backendName: 'atlassian', issueId, status: In([...BLOCKING_STATUSES]), operation: In(['issue.update', 'comment.update', 'comment.delete']) },
  });
  const edits: PendingLocalEdits = { issueFields: false, commentIds: new Set(), deletedCommentIds: new Set() };
  for (const row of rows) {
    if (row.operation === 'issue.update') edits.issueFields = true;
    if (row.operation === 'comment.update' && row.targetId !== null) edits.commentIds.add(row.targetId);
    const backendId = row.payload?.backendId;
    if (row.operation === 'comment.delete' && typeof backendId === 'string') edits.deletedCommentIds.add(backendId);
  }
  return edits;
}
