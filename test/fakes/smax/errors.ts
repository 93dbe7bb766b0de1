/** Error answered to a REST client with the given status and body (JSON unless `contentType` says otherwise). */
export class SmaxHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown = { message },
    readonly contentType = 'application/json',
  ) {
    super(message);
  }
}

/** Invalid input to a control function; the control API answers it with 400. */
export class FakeInputError extends Error {}

/** A write that the fake refused (a FAILED bulk result or a rejected comment); the control API answers it with 422. */
export class FakeActionError extends Error {
  constructor(
    message: string,
    readonly details: unknown,
  ) {
    super(message);
  }
}
