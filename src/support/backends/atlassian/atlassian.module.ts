import { Inject, Module, OnModuleInit, Optional } from '@nestjs/common';

import { FileStorage } from '../../../storage/file-storage';
import { StorageModule } from '../../../storage/storage.module';
import { SyncModule } from '../../sync/sync.module';
import { InboxProcessorRegistry } from '../../sync/inbox/inbox-processor';
import { OutboxDelivererRegistry } from '../../sync/outbox/outbox-deliverer';
import { RemotePullerRegistry } from '../../sync/pull/remote-puller';
import { ATLASSIAN_ATTACHMENT_STORE, AtlassianBackendProvider } from './atlassian-backend.provider';
import { AtlassianInboxProcessor } from './atlassian-inbox-processor';
import { AtlassianIssuePuller } from './atlassian-issue-puller';
import { AtlassianOutboxDeliverer, AttachmentContentReader } from './atlassian-outbox-deliverer';
import { JiraWebhookController } from './jira-webhook.controller';
import { JiraWebhookService } from './jira-webhook.service';

/**
 * The Jira adapter's place in the app: the provider that builds it from settings, the
 * webhook receiver, and the outbox deliverer, webhook processor and issue puller,
 * registered with the sync machinery under the backend name `atlassian`.
 */
@Module({
  imports: [SyncModule, StorageModule],
  controllers: [JiraWebhookController],
  providers: [
    { provide: ATLASSIAN_ATTACHMENT_STORE, useExisting: FileStorage },
    AtlassianBackendProvider,
    AtlassianOutboxDeliverer,
    AtlassianInboxProcessor,
    AtlassianIssuePuller,
    JiraWebhookService,
  ],
  exports: [AtlassianBackendProvider],
})
export class AtlassianModule implements OnModuleInit {
  constructor(
    private readonly deliverers: OutboxDelivererRegistry,
    private readonly processors: InboxProcessorRegistry,
    private readonly pullers: RemotePullerRegistry,
    private readonly deliverer: AtlassianOutboxDeliverer,
    private readonly processor: AtlassianInboxProcessor,
    private readonly puller: AtlassianIssuePuller,
    @Optional() @Inject(ATLASSIAN_ATTACHMENT_STORE) private readonly store?: Partial<AttachmentContentReader> | null,
  ) {}

  onModuleInit(): void {
    if (typeof this.store?.readAll === 'function') this.deliverer.contentReader = this.store as AttachmentContentReader;
    this.deliverers.add(this.deliverer);
    this.processors.add(this.processor);
    this.pullers.add(this.puller);
  }
}
