import { Module } from '@nestjs/common';

import { TokenAuthGuard } from './auth/token-auth.guard';

@Module({
  providers: [TokenAuthGuard],
  exports: [TokenAuthGuard],
})
export class IdentityModule {}
