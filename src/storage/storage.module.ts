import { Module } from '@nestjs/common';

import { fileStorageProvider } from './file-storage.provider';

@Module({
  providers: [fileStorageProvider],
  exports: [fileStorageProvider],
})
export class StorageModule {}
