import { DataSource, IsNull, Not } from 'typeorm';

import { FailedDependencyException } from '../../common/errors/app.exception';
import type { BackendName } from '../common/backend-name';
import { Issue } from '../issues/issue.entity';

export interface SyncedBackend {
  name: BackendName;
  /** Product name for messages, such as `Zammad`. */
  title: string;
  /** Settings that must be set before the backend can be called; empty when it is configured. */
  missingSettings: string[];
}

/**
 * Tells whether a backend's pull and webhook processing have work they can do. An issue
 * stays with the backend it was created in, so a backend keeps syncing its issues while
 * another backend is active, as long as its own settings are complete. Without them there
 * is nothing to do unless issues linked to the backend exist, and then the missing settings
 * are raised as a 424 that names them.
 */
export async function backendCanSync(dataSource: DataSource, backend: SyncedBackend): Promise<boolean> {
  if (backend.missingSettings.length === 0) return true;
  const hasIssues = await dataSource.getRepository(Issue).existsBy({ backendName: backend.name, backendId: Not(IsNull()) });
  if (!hasIssues) return false;
  throw new FailedDependencyException(`${backend.title} is not configured: set ${joinNames(backend.missingSettings)}.`);
}

/** Joins names as `A`, `A and B` or `A, B and C`. */
function joinNames(names: string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
