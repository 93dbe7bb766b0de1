/**
 * Error raised by fake operations and rendered by the error middleware as Zammad's
 * envelope `{"error": ..., "error_human": ...}`. Zammad's error handler also sets
 * `X-Failure` to the message on 401 and 403 responses.
 */
export class ZammadError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** False for the few places where Zammad renders `{"error": ...}` alone. */
    readonly withHumanMessage = true,
  ) {
    super(message);
    this.name = 'ZammadError';
  }

  toBody(): { error: string; error_human?: string } {
    return this.withHumanMessage ? { error: this.message, error_human: this.message } : { error: this.message };
  }
}

/** 404 with Rails' record-not-found text, for example `Couldn't find Ticket with 'id'=9`. */
export function notFound(model: string, id: unknown): ZammadError {
  return new ZammadError(404, `Couldn't find ${model} with 'id'=${String(id)}`);
}

export function unprocessable(message: string): ZammadError {
  return new ZammadError(422, message);
}

/** 403 as Pundit policies raise it; `details` gives `Not authorized (details)!`. */
export function forbidden(details?: string): ZammadError {
  return new ZammadError(403, details ? `Not authorized (${details})!` : 'Not authorized');
}

export function unauthorized(message: string): ZammadError {
  return new ZammadError(401, message);
}
