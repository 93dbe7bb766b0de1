import { Module, Scope } from '@nestjs/common';

import { SyncModule } from '../sync/sync.module';
import { AtlassianModule } from './atlassian/atlassian.module';
import { BackendWrites } from './backend-writes.service';
import { SmaxModule } from './smax/smax.module';
import { SupportBackend } from './support-backend';
import { SupportBackendProvider } from './support-backend.provider';
import { ZammadModule } from './zammad/zammad.module';

/**
 * Provides `SupportBackendProvider` and, for request handlers that prefer plain injection,
 * the `SupportBackend` token pinned to the backend that was active when the request began.
 * The token is request-scoped, so scheduled jobs and other singletons use the provider.
 */
@Module({
  imports: [SyncModule, ZammadModule, AtlassianModule, SmaxModule],
  providers: [
    SupportBackendProvider,
    BackendWrites,
    {
      provide: SupportBackend,
      scope: Scope.REQUEST,
      inject: [SupportBackendProvider],
      useFactory: (provider: SupportBackendProvider) => provider.current(),
    },
  ],
  exports: [SupportBackendProvider, SupportBackend, BackendWrites],
})
export class BackendsModule {}
