import { FactoryProvider, Logger } from '@nestjs/common';

import { APP_CONFIG, AppConfig } from '../config/app.config';
import { FileStorage } from './file-storage';
import { LocalFileStorage } from './local-file-storage';
import { loadStorageConfig } from './storage.config';

/** The one place that picks the `FileStorage` implementation. */
export const fileStorageProvider: FactoryProvider<FileStorage> = {
  provide: FileStorage,
  inject: [APP_CONFIG],
  useFactory: async (app: AppConfig): Promise<FileStorage> => {
    const config = loadStorageConfig(app);
    switch (config.driver) {
      case 'local': {
        const storage = new LocalFileStorage(config.localRoot);
        await storage.prepare();
        new Logger('FileStorage').log(`Attachment files are kept in ${config.localRoot}`);
        return storage;
      }
      default:
        return assertNever(config.driver);
    }
  },
};

function assertNever(value: never): never {
  throw new Error(`Unhandled storage driver: ${String(value)}`);
}
