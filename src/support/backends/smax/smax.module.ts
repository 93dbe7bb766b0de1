import { Injectable, Module, OnModuleInit } from '@nestjs/common';

import { InboxProcessorRegistry } from '../../sync/inbox/inbox-processor';
import { OutboxDelivererRegistry } from '../../sync/outbox/outbox-deliverer';
import { RemotePullerRegistry } from '../../sync/pull/remote-puller';
import { SyncModule } from '../../sync/sync.module';
import { StorageModule } from '../../../storage/storage.module';
import { SmaxAdapterProvider } from './smax-adapter.provider';
import { SmaxAttachmentDownloads } from './smax-attachment-downloads';
import { SmaxInboxProcessor } from './smax-inbox-processor';
import { SmaxIssuePuller } from './smax-issue-puller';
import { SmaxOutboxDeliverer } from './smax-outbox-deliverer';
import { SmaxRequestApplier } from './smax-request-applier';
import { SmaxWebhookController } from './smax-webhook.controller';
import { SmaxWebhookService } from './smax-webhook.service';

/** Registers the SMAX plug-ins with the sync machinery under the backend name `smax`. */
@Injectable()
export class SmaxSyncRegistration implements OnModuleInit {
  constructor(
    private readonly deliverers: OutboxDelivererRegistry,
    private readonly processors: InboxProcessorRegistry,
    private readonly pullers: RemotePullerRegistry,
    private readonly deliverer: SmaxOutboxDeliverer,
    private readonly processor: SmaxInboxProcessor,
    private readonly puller: SmaxIssuePuller,
  ) {}

  onModuleInit(): void {
    this.deliverers.add(this.deliverer);
    this.processors.add(this.processor);
    this.pullers.add(this.puller);
  }
}

/**
 * The SMAX adapter and its sync plug-ins: outbox delivery, the change-notification webhook
 * and the scheduled pull, registered with the sync machinery.
 */
@Module({
  imports: [SyncModule, StorageModule],
  controllers: [SmaxWebhookController],
  providers: [
    SmaxAdapterProvider,
    SmaxRequestApplier,
    SmaxAttachmentDownloads,
    SmaxOutboxDeliverer,
    SmaxInboxProcessor,
    SmaxIssuePuller,
    SmaxWebhookService,
    SmaxSyncRegistration,
  ],
  exports: [SmaxAdapterProvider],
})
export class SmaxModule {}
