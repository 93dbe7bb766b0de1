import { EntityManager } from 'typeorm';

import { queryRows } from '../common/sql';

/** A remote object's version: its update time, or a counter the backend increments. */
export type RemoteVersionValue = Date | number | bigint | string;

/**
 * Records `version` as the newest applied version of a remote object. Returns true when
 * it is newer than the one stored or none is stored, and false, changing nothing, for an
 * equal or older version. Call it in the transaction that applies the change and apply
 * only on true, so a late or repeated delivery never moves the object back. The row lock
 * it takes serializes concurrent deliveries of the same object.
 */
export async function acceptIfNewer(
  manager: EntityManager,
  backendName: string,
  objectType: string,
  remoteId: string,
  version: RemoteVersionValue,
): Promise<boolean> {
  const rows = await queryRows(
    manager,
    `INSERT INTO sync_remote_versions (backend_name, object_type, remote_id, last_version, updated_at)
     VALUES ($1, $2, $3, $4::numeric, now())
     ON CONFLICT (backend_name, object_type, remote_id) DO UPDATE
       SET last_version = EXCLUDED.last_version, updated_at = now()
       WHERE sync_remote_versions.last_version < EXCLUDED.last_version
     RETURNING 1`,
    [backendName, objectType, remoteId, versionNumber(version)],
  );
  return rows.length === 1;
}

/**
 * Turns a version into the decimal integer stored. A Date becomes epoch milliseconds. A
 * string must already be a decimal integer, because adapters parse vendor time formats.
 */
export function versionNumber(version: RemoteVersionValue): string {
  if (version instanceof Date) {
    const time = version.getTime();
    if (Number.isNaN(time)) throw new TypeError('Remote version is an invalid Date');
    return String(time);
  }
  if (typeof version === 'bigint') {
    if (version < 0n) throw new TypeError(`Remote version must not be negative, got ${version}`);
    return version.toString();
  }
  if (typeof version === 'number') {
    if (!Number.isSafeInteger(version) || version < 0) {
      throw new TypeError(`Remote version must be a non-negative safe integer, got ${version}`);
    }
    return String(version);
  }
  if (!/^\d{1,40}$/.test(version)) throw new TypeError(`Remote version must be a decimal integer, got "${version}"`);
  return version.replace(/^0+(?=\d)/, '');
}
