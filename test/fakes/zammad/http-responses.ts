import type { Response } from 'express';

/**
 * Serialises JSON the way Rails' ActiveSupport encoder does by default: `<`, `>` and
 * `&` become `\u003c`, `\u003e` and `\u0026`, and U+2028/U+2029 are escaped. The result
 * parses to the same value as `JSON.stringify`, but the bytes differ, which matters to
 * anyone who checks a signature over the raw webhook body.
 */
export function encodeRailsJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function sendJson(res: Response, status: number, value: unknown): void {
  res.status(status).type('application/json; charset=utf-8').send(Buffer.from(encodeRailsJson(value), 'utf8'));
}

/** Sends an HTML error page, as Zammad or a proxy in front of it returns for non-JSON errors. */
export function sendHtmlError(res: Response, status: number, message: string): void {
  const page = [
    '<!DOCTYPE html>',
    `<html><head><title>${status} ${escapeHtml(message)}</title></head>`,
    `<body><h1>${status}</h1><p>${escapeHtml(message)}</p></body></html>`,
  ].join('\n');
  res.status(status).type('text/html; charset=utf-8').send(page);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
