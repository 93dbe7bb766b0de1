/** Ends an exhaustive `switch`: a new union member that is not handled fails to compile here. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled value: ${String(value)}`);
}
