import { SessionLock } from './session-lock';

describe('SessionLock', () => {
  it('grants a free lock at once', async () => {
    const lock = new SessionLock<string>();

    await expect(lock.acquire('a')).resolves.toBe(true);
    expect(lock.holder).toBe('a');
  });

  it('lets the holder acquire again', async () => {
    const lock = new SessionLock<string>();
    await lock.acquire('a');

    await expect(lock.acquire('a')).resolves.toBe(true);
    expect(lock.waiting).toBe(0);
  });

  it('hands the lock to waiters in FIFO order', async () => {
    const lock = new SessionLock<string>();
    await lock.acquire('a');
    const order: string[] = [];
    const b = lock.acquire('b').then(() => order.push('b'));
    const c = lock.acquire('c').then(() => order.push('c'));

    lock.release('a');
    await b;
    expect(lock.holder).toBe('b');
    lock.release('b');
    await c;

    expect(order).toEqual(['b', 'c']);
    expect(lock.holder).toBe('c');
  });

  it('ignores a release by a non-holder', async () => {
    const lock = new SessionLock<string>();
    await lock.acquire('a');

    lock.release('b');

    expect(lock.holder).toBe('a');
  });

  it('resolves a withdrawn waiter to false', async () => {
    const lock = new SessionLock<string>();
    await lock.acquire('a');
    const b = lock.acquire('b');
    const c = lock.acquire('c');

    lock.withdraw('b');
    lock.release('a');

    await expect(b).resolves.toBe(false);
    await expect(c).resolves.toBe(true);
    expect(lock.holder).toBe('c');
  });

  it('frees the lock when nobody waits', async () => {
    const lock = new SessionLock<string>();
    await lock.acquire('a');

    lock.release('a');

    expect(lock.holder).toBeUndefined();
  });
});
