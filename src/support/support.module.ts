import { Module } from '@nestjs/common';

/** Groups the support feature modules. */
@Module({
  imports: [],
})
export class SupportModule {}
