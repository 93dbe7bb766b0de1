import { join } from 'node:path';

import { AppConfig, ConfigValidationError } from '../config/app.config';

export const STORAGE_DRIVERS = ['local'] as const;
export type StorageDriver = (typeof STORAGE_DRIVERS)[number];

export interface StorageConfig {
  driver: StorageDriver;
  /** Folder of the `local` driver: `<DATA_DIR>/attachments`. */
  localRoot: string;
}

/**
 * Reads `FILE_STORAGE_DRIVER` (default `local`). An S3-compatible driver is planned: it
 * becomes one more value here, its keys validated here, and one more case in the provider.
 */
export function loadStorageConfig(app: AppConfig, env: NodeJS.ProcessEnv = process.env): StorageConfig {
  const driver = (env.FILE_STORAGE_DRIVER?.trim() || 'local').toLowerCase();
  if (!(STORAGE_DRIVERS as readonly string[]).includes(driver)) {
    throw new ConfigValidationError([`FILE_STORAGE_DRIVER must be one of ${STORAGE_DRIVERS.join(', ')}, got "${env.FILE_STORAGE_DRIVER}"`]);
  }
  return { driver: driver as StorageDriver, localRoot: join(app.dataDir, 'attachments') };
}
