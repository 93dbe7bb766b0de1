import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import type { TestApp } from './test-app';

/** Lists the files the local storage keeps under one namespace of the test app's data folder. */
export function storedFiles(testApp: TestApp, namespace: 'issue-attachments' | 'template-attachments'): string[] {
  const folder = join(testApp.config.dataDir, 'attachments', namespace);
  try {
    return readdirSync(folder, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
  } catch {
    return [];
  }
}
