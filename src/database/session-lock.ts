interface Waiter<Owner> {
  owner: Owner;
  settle: (granted: boolean) => void;
}

/**
 * A mutex held by an owner (a client connection) rather than by one call: the owner may
 * acquire it again while holding it, waiters are served in FIFO order, and a waiter that
 * goes away can withdraw.
 */
export class SessionLock<Owner> {
  private owner: Owner | undefined;
  private readonly waiters: Waiter<Owner>[] = [];

  get holder(): Owner | undefined {
    return this.owner;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /** Resolves to true once `owner` holds the lock, or to false if it withdrew while waiting. */
  acquire(owner: Owner): Promise<boolean> {
    if (this.owner === owner) return Promise.resolve(true);
    if (this.owner === undefined && this.waiters.length === 0) {
      this.owner = owner;
      return Promise.resolve(true);
    }
    return new Promise((settle) => this.waiters.push({ owner, settle }));
  }

  /** Hands the lock to the longest waiter, if `owner` holds it. */
  release(owner: Owner): void {
    if (this.owner !== owner) return;
    const next = this.waiters.shift();
    this.owner = next?.owner;
    next?.settle(true);
  }

  /** Removes `owner` from the queue. Its pending `acquire` resolves to false. */
  withdraw(owner: Owner): void {
    for (let index = this.waiters.length - 1; index >= 0; index--) {
      if (this.waiters[index].owner !== owner) continue;
      const [waiter] = this.waiters.splice(index, 1);
      waiter.settle(false);
    }
  }
}
