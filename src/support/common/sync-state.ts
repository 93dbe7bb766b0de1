/** Sync state of a support row (Waldur's core state codes); the API shows the name. */
export enum SyncState {
  UPDATE_SCHEDULED = 1,
  UPDATING = 2,
  OK = 3,
  ERRED = 4,
  CREATION_SCHEDULED = 5,
  CREATING = 6,
  DELETION_SCHEDULED = 7,
  DELETING = 8,
}

export function syncStateName(state: SyncState): string {
  return SyncState[state] ?? 'OK';
}
