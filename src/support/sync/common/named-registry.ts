/**
 * Plug-ins of one kind (deliverers, processors, pullers) by name. Adapters register
 * theirs on module init; the sync machinery looks them up by the name stored in a row.
 */
export class NamedRegistry<T> {
  private readonly items = new Map<string, T>();

  constructor(private readonly kind: string) {}

  /** Adds or replaces the plug-in for `name`, so a rebuilt adapter takes over its name. */
  register(name: string, item: T): void {
    this.items.set(name, item);
  }

  /** Removes the plug-in, but only if `item` is still the one registered under `name`. */
  unregister(name: string, item?: T): void {
    if (item === undefined || this.items.get(name) === item) this.items.delete(name);
  }

  find(name: string): T | undefined {
    return this.items.get(name);
  }

  get(name: string): T {
    const item = this.items.get(name);
    if (item === undefined) throw new Error(`No ${this.kind} is registered for "${name}"`);
    return item;
  }

  names(): string[] {
    return [...this.items.keys()];
  }

  entries(): [string, T][] {
    return [...this.items.entries()];
  }
}
