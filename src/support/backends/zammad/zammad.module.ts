import { Module, OnModuleInit } from '@nestjs/common';

import { StorageModule } from '../../../storage/storage.module';
import { InboxProcessorRegistry } from '../../sync/inbox/inbox-processor';
import { OutboxDelivererRegistry } from '../../sync/outbox/outbox-deliverer';
import { RemotePullerRegistry } from '../../sync/pull/remote-puller';
import { SyncModule } from '../../sync/sync.module';
import { ZammadAdapterProvider } from './zammad-adapter.provider';
import { ZammadInboxProcessor } from './zammad-inbox-processor';
import { ZammadIssuePuller } from './zammad-issue-puller';
import { ZammadOutboxDeliverer } from './zammad-outbox-deliverer';
import { ZammadWebhookController } from './zammad-webhook.controller';
import { ZammadWebhookService } from './zammad-webhook.service';

/**
 * The Zammad adapter and its sync plug-ins: the outbox deliverer, the webhook receiver
 * and processor, and the scheduled issue puller, registered with the sync machinery.
 */
@Module({
  imports: [SyncModule, StorageModule],
  controllers: [ZammadWebhookController],
  providers: [
    ZammadAdapterProvider,
    ZammadOutboxDeliverer,
    ZammadInboxProcessor,
    ZammadIssuePuller,
    ZammadWebhookService,
  ],
  exports: [ZammadAdapterProvider],
})
export class ZammadModule implements OnModuleInit {
  constructor(
    private readonly deliverers: OutboxDelivererRegistry,
    private readonly processors: InboxProcessorRegistry,
    private readonly pullers: RemotePullerRegistry,
    private readonly deliverer: ZammadOutboxDeliverer,
    private readonly processor: ZammadInboxProcessor,
    private readonly puller: ZammadIssuePuller,
  ) {}

  onModuleInit(): void {
    this.deliverers.add(this.deliverer);
    this.processors.add(this.processor);
    this.pullers.add(this.puller);
  }
}
