import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';

import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { TokenAuthGuard } from './identity/auth/token-auth.guard';
import { IdentityModule } from './identity/identity.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { SettingsModule } from './settings/settings.module';
import { SupportEnabledGuard } from './support/common/support-enabled.guard';
import { SupportModule } from './support/support.module';

@Module({
  imports: [
    ConfigModule,
    LoggingModule,
    DatabaseModule,
    EventEmitterModule.forRoot(),
    ScheduleModule.forRoot(),
    MetricsModule,
    HealthModule,
    IdentityModule,
    SettingsModule,
    SupportModule,
  ],
  // Global guards run in this order: authentication comes after checks that must answer
  // before it (for example 424 when support is disabled).
  providers: [
    { provide: APP_GUARD, useClass: SupportEnabledGuard },
    { provide: APP_GUARD, useExisting: TokenAuthGuard },
  ],
})
export class AppModule {}
