import { Module, Scope } from '@nestjs/common';

import { SupportBackend } from './support-backend';
import { SupportBackendProvider } from './support-backend.provider';

/**
 * Provides `SupportBackendProvider` and, for request handlers that prefer plain injection,
 * the `SupportBackend` token pinned to the backend that was active when the request began.
 * The token is request-scoped, so scheduled jobs and other singletons use the provider.
 */
@Module({
  providers: [
    SupportBackendProvider,
    {
      provide: SupportBackend,
      scope: Scope.REQUEST,
      inject: [SupportBackendProvider],
      useFactory: (provider: SupportBackendProvider) => provider.current(),
    },
  ],
  exports: [SupportBackendProvider, SupportBackend],
})
export class BackendsModule {}
