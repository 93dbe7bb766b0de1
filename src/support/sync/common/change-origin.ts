import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Origin of a change to our copy. A `local` change (an API call) is pushed to the backend
 * through the outbox. A `remote` change (a webhook, a pull) came from the backend and is
 * never pushed back, which is half of echo suppression.
 */
export interface ChangeContext {
  origin: 'local' | 'remote';
  /** The backend a remote change came from. */
  backendName?: string;
}

export const LOCAL_CHANGE: ChangeContext = Object.freeze({ origin: 'local' });

export function remoteChange(backendName: string): ChangeContext {
  return { origin: 'remote', backendName };
}

const storage = new AsyncLocalStorage<ChangeContext>();

/**
 * Runs `work` with `context` as the ambient change context, so services called inside it
 * (and the outbox they enqueue through) see the origin without passing it along.
 * Processors and pullers wrap the application of remote changes in it.
 */
export function runWithChangeContext<T>(context: ChangeContext, work: () => Promise<T>): Promise<T> {
  return storage.run(context, work);
}

/** Returns the context set by the innermost `runWithChangeContext`, or a local change outside any. */
export function currentChangeContext(): ChangeContext {
  return storage.getStore() ?? LOCAL_CHANGE;
}
