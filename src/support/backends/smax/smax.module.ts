import { Injectable, Module, OnModuleInit } from '@nestjs/common';

import { InboxProcessorRegistry } from '../../sync/inbox/inbox-processor';
import { OutboxDelivererRegistry } from '../../sync/outbox/outbox-deliverer';
import { RemotePullerRegistry } from '../../sync/pull/remote-puller';
import { SyncModule } from '../../sync/sync.module';
import { BackendsModule } from '../backends.module';
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
 * Wires the SMAX adapter into the running service: outbox delivery, the change-notification
 * webhook and the scheduled pull. The adapter itself is built by `SupportBackendProvider`.
 */
@Module({
  imports: [SyncModule, BackendsModule],
  controllers: [SmaxWebhookController],
  providers: [SmaxRequestApplier, SmaxOutboxDeliverer, SmaxInboxProcessor, SmaxIssuePuller, SmaxWebhookService, SmaxSyncRegistration],
})
export class SmaxModule {}
