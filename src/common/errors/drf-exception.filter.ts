import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { Request, Response } from 'express';

import { AppException, ErrorCode } from './app.exception';

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  validation_failed: 400,
  not_authenticated: 401,
  permission_denied: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  failed_dependency: 424,
  throttled: 429,
};

/** Errors that body-parser and multer raise with a status of their own. */
interface HttpLikeError {
  status?: number;
  statusCode?: number;
  type?: string;
  code?: string;
  message?: string;
}

/**
 * Renders every error as Django REST Framework does: `{"detail": ...}`, or field-keyed
 * lists for 400. Anything unexpected is logged and answered 500 without internals.
 */
@Catch()
export class DrfExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    if (response.headersSent) return;

    const { status, body, headers } = this.render(exception, request);
    for (const [name, value] of Object.entries(headers ?? {})) response.setHeader(name, value);
    response.status(status).json(body);
  }

  private render(exception: unknown, request: Request): { status: number; body: unknown; headers?: Record<string, string> } {
    if (exception instanceof AppException) {
      const status = STATUS_BY_CODE[exception.code];
      if (exception.code === 'validation_failed' && exception.fieldErrors) {
        return { status, body: exception.fieldErrors, headers: exception.headers };
      }
      return { status, body: { detail: exception.message }, headers: exception.headers };
    }

    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      if (status === HttpStatus.NOT_FOUND) return { status, body: { detail: 'Not found.' } };
      if (typeof payload === 'object' && payload !== null && !('statusCode' in payload)) {
        return { status, body: payload };
      }
      const message = typeof payload === 'string' ? payload : (payload as { message?: unknown }).message;
      return { status, body: { detail: Array.isArray(message) ? message.join(' ') : String(message ?? exception.message) } };
    }

    const httpLike = exception as HttpLikeError;
    const status = httpLike?.status ?? httpLike?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      if (httpLike.type === 'entity.parse.failed') {
        return { status: 400, body: { detail: `JSON parse error - ${httpLike.message}` } };
      }
      if (httpLike.type === 'entity.too.large') {
        return { status: 413, body: { detail: 'Request body is too large.' } };
      }
      return { status, body: { detail: httpLike.message ?? 'Bad request.' } };
    }

    this.logger.error(
      { err: exception, method: request.method, path: request.originalUrl },
      'Unhandled error while serving a request',
    );
    return { status: 500, body: { detail: 'A server error occurred.' } };
  }
}
