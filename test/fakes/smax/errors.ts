/** Error returned to a REST client with the given status and body, which is JSON unless `contentType` is set. */
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

/** Invalid input to a control function. The control API responds to it with 400. */
export class FakeInputError extends Error {}

/** A write that the fake rejected, such as a FAILED bulk result or a rejected comment. The control API responds to it with 422. */
export class FakeActionError extends Error {
  constructor(
    message: string,
    readonly details: unknown,
  ) {
    super(message);
  }
}
