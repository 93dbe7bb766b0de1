import type { NextFunction, Request, Response } from 'express';

/** Body of an error response as Jira writes it on each surface. */
export type ErrorBody =
  | { kind: 'platform'; errorMessages: string[]; errors: Record<string, string> }
  | { kind: 'jsm'; message: string; i18nKey: string }
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; text: string }
  | { kind: 'html'; html: string };

/** An HTTP error with the body Jira would send. Route handlers throw it and `renderError` writes it. */
export class JiraHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(describeBody(body));
  }
}

function describeBody(body: ErrorBody): string {
  switch (body.kind) {
    case 'platform':
      return [...body.errorMessages, ...Object.values(body.errors)].join('; ');
    case 'jsm':
      return body.message;
    case 'json':
      return JSON.stringify(body.value);
    case 'text':
      return body.text;
    case 'html':
      return 'HTML error page';
  }
}

/** Builds a platform (`/rest/api/2`) error with `{"errorMessages": [...], "errors": {...}}`. */
export function platformError(status: number, messages: string[], fieldErrors: Record<string, string> = {}): JiraHttpError {
  return new JiraHttpError(status, { kind: 'platform', errorMessages: messages, errors: fieldErrors });
}

/** Builds a Service Management error with `{"errorMessage", "i18nErrorMessage"}`. */
export function jsmError(status: number, message: string, i18nKey: string): JiraHttpError {
  return new JiraHttpError(status, { kind: 'jsm', message, i18nKey });
}

export function issueNotFound(): JiraHttpError {
  return platformError(404, ['Issue does not exist or you do not have permission to see it.']);
}

export function propertyNotFound(key: string): JiraHttpError {
  return platformError(404, [`The property with key '${key}' does not exist.`]);
}

export function htmlErrorPage(status: number, title: string): string {
  return `<!DOCTYPE html><html><head><title>${title}</title></head><body><h1>HTTP Status ${status} - ${title}</h1></body></html>`;
}

/** Writes an error body in its surface's shape. */
export function sendErrorBody(res: Response, status: number, body: ErrorBody, headers: Record<string, string> = {}): void {
  res.status(status);
  for (const [name, value] of Object.entries(headers)) {
    res.setHeader(name, value);
  }
  switch (body.kind) {
    case 'platform':
      res.json({ errorMessages: body.errorMessages, errors: body.errors });
      return;
    case 'jsm':
      res.json({ errorMessage: body.message, i18nErrorMessage: { i18nKey: body.i18nKey, parameters: [] } });
      return;
    case 'json':
      res.json(body.value);
      return;
    case 'text':
      res.type('text/plain').send(body.text);
      return;
    case 'html':
      res.type('text/html').send(body.html);
      return;
  }
}

/** Express error handler: Jira errors keep their shape, anything else becomes a 500 envelope. */
export function renderError(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) {
    next(error);
    return;
  }
  if (error instanceof JiraHttpError) {
    sendErrorBody(res, error.status, error.body, error.headers);
    return;
  }
  // Express body parsing fails with an `http-errors` error, e.g. 413 for a body over the limit.
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    sendErrorBody(res, status, { kind: 'platform', errorMessages: [(error as Error).message], errors: {} });
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  sendErrorBody(res, 500, { kind: 'platform', errorMessages: [`Internal server error: ${message}`], errors: {} });
}
