/** Error codes the API renders; `DrfExceptionFilter` maps each to its HTTP status. */
export type ErrorCode =
  | 'validation_failed'
  | 'not_authenticated'
  | 'permission_denied'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'precondition_failed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'failed_dependency'
  | 'throttled';

export type FieldErrors = Record<string, string[]>;

/** A failure with a code; services and jobs throw these, never HTTP exceptions. */
export class AppException extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Field-keyed messages for `validation_failed`; `non_field_errors` for the whole object. */
    readonly fieldErrors?: FieldErrors,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationFailedException extends AppException {
  constructor(fieldErrors: FieldErrors) {
    super('validation_failed', summarize(fieldErrors), fieldErrors);
  }

  static field(field: string, message: string): ValidationFailedException {
    return new ValidationFailedException({ [field]: [message] });
  }

  static nonField(message: string): ValidationFailedException {
    return new ValidationFailedException({ non_field_errors: [message] });
  }
}

export class NotAuthenticatedException extends AppException {
  constructor(message = 'Authentication credentials were not provided.') {
    super('not_authenticated', message, undefined, { 'WWW-Authenticate': 'Token' });
  }
}

export class PermissionDeniedException extends AppException {
  constructor(message = 'You do not have permission to perform this action.') {
    super('permission_denied', message);
  }
}

export class NotFoundException extends AppException {
  constructor(message = 'Not found.') {
    super('not_found', message);
  }
}

export class ConflictException extends AppException {
  constructor(message: string) {
    super('conflict', message);
  }
}

export class PayloadTooLargeException extends AppException {
  constructor(message: string) {
    super('payload_too_large', message);
  }
}

export class UnsupportedMediaTypeException extends AppException {
  constructor(message: string) {
    super('unsupported_media_type', message);
  }
}

/**
 * A call that only an external system can answer failed; rendered as 424 with its message,
 * and with `headers` such as the system's `Retry-After`.
 */
export class FailedDependencyException extends AppException {
  constructor(message: string, headers?: Record<string, string>) {
    super('failed_dependency', message, undefined, headers);
  }
}

export class ThrottledException extends AppException {
  constructor(retryAfterSeconds: number) {
    super(
      'throttled',
      `Request was throttled. Expected available in ${retryAfterSeconds} seconds.`,
      undefined,
      { 'Retry-After': String(retryAfterSeconds) },
    );
  }
}

function summarize(fieldErrors: FieldErrors): string {
  return Object.entries(fieldErrors)
    .map(([field, messages]) => `${field}: ${messages.join(' ')}`)
    .join('; ');
}
