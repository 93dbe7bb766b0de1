import { Module } from '@nestjs/common';

import { RequestTypesAdminController } from './request-types-admin.controller';
import { RequestTypesController } from './request-types.controller';
import { RequestTypesService } from './request-types.service';

@Module({
  controllers: [RequestTypesController, RequestTypesAdminController],
  providers: [RequestTypesService],
  exports: [RequestTypesService],
})
export class RequestTypesModule {}
