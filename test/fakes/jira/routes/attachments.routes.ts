/**
 * Attachment upload, metadata, download and deletion. Uploads need
 * `X-Atlassian-Token: no-check` and multipart parts named `file`. On Cloud the
 * content URL redirects (303) to an unauthenticated media URL unless
 * `redirect=false` is given, as Jira Cloud does.
 */
import { createHmac, randomBytes } from 'node:crypto';

import { Router, type Request, type Response } from 'express';

import { addAttachments, attachmentOrThrow, deleteAttachment, type UploadedFile } from '../attachment-operations';
import { requireRole } from '../auth';
import { renderAttachment } from '../entity-views';
import { htmlErrorPage, JiraHttpError, platformError } from '../errors';
import { handle, param, queryString, rawBody, stateOf } from '../http-utils';
import { mimeTypeOf, multipartBoundary, parseMultipart } from '../multipart';
import type { AttachmentRecord } from '../records';
import { browsableIssue, type ApiDeps } from './deps';

function checkXsrfToken(deps: ApiDeps, req: Request): void {
  const token = String(req.headers['x-atlassian-token'] ?? '').toLowerCase();
  const accepted = token === 'no-check' || (deps.core.settings.acceptNocheckToken && token === 'nocheck');
  if (!accepted) {
    throw new JiraHttpError(403, { kind: 'text', text: 'XSRF check failed' });
  }
}

/** Reads the `file` parts of an upload. The JSM temporary-file upload uses it too. */
export function uploadedFiles(deps: ApiDeps, req: Request): UploadedFile[] {
  checkXsrfToken(deps, req);
  const boundary = multipartBoundary(req.headers['content-type']);
  if (!boundary) {
    throw new JiraHttpError(415, { kind: 'text', text: 'Unsupported Media Type: the upload must be multipart/form-data.' });
  }
  const parts = parseMultipart(rawBody(req), boundary);
  if (!parts) {
    throw platformError(400, ['The multipart request body is malformed.']);
  }
  const files = parts.filter((part) => part.name === 'file' && part.filename !== undefined);
  if (files.length === 0) {
    throw platformError(400, ["The request has no file. Send each file in a multipart part named 'file'."]);
  }
  if (deps.core.settings.rejectRfc2231Filename && files.some((part) => part.filenameEncoding === 'rfc2231')) {
    throw new JiraHttpError(500, { kind: 'html', html: htmlErrorPage(500, 'Internal Server Error') });
  }
  return files.map((part) => ({ filename: part.filename ?? 'attachment', mimeType: mimeTypeOf(part), content: part.data }));
}

function sendContent(res: Response, attachment: AttachmentRecord): void {
  res.setHeader('Content-Type', attachment.mimeType);
  res.setHeader('Content-Length', String(attachment.content.length));
  res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(attachment.filename)}`);
  res.end(attachment.content);
}

/** Signs media URLs so the unauthenticated media route serves only links the fake handed out. */
export class MediaSigner {
  private readonly secret = randomBytes(16);

  sign(attachmentId: string): string {
    return createHmac('sha256', this.secret).update(attachmentId).digest('hex').slice(0, 32);
  }
}

/** Serves attachment content for a signed token without credentials, in place of Atlassian's media host. */
export function mediaRoutes(deps: ApiDeps, signer: MediaSigner): Router {
  const router = Router();
  router.get(
    '/media/attachment/:id',
    handle((req, res) => {
      const id = param(req, 'id');
      if (queryString(req, 'token') !== signer.sign(id)) {
        throw new JiraHttpError(401, { kind: 'json', value: { code: 401, message: 'Invalid media token' } });
      }
      sendContent(res, attachmentOrThrow(deps.core, id));
    }),
  );
  return router;
}

export function attachmentRoutes(deps: ApiDeps, signer: MediaSigner): Router {
  const router = Router();
  const core = deps.core;

  const readable = (req: Request, res: Response): AttachmentRecord => {
    const { user } = stateOf(res);
    const attachment = attachmentOrThrow(core, param(req, 'id'));
    browsableIssue(deps, user, attachment.issueId);
    return attachment;
  };

  router.post(
    '/rest/api/2/issue/:idOrKey/attachments',
    handle((req, res) => {
      const { view, user } = stateOf(res);
      requireRole(user, 'agent', 'You do not have permission to create attachments for this issue.');
      const issue = browsableIssue(deps, user, param(req, 'idOrKey'));
      const created = addAttachments(core, user, issue, uploadedFiles(deps, req));
      res.status(200).json(created.map((attachment) => renderAttachment(view, attachment)));
    }),
  );

  router.get(
    '/rest/api/2/attachment/:id',
    handle((req, res) => {
      res.json(renderAttachment(stateOf(res).view, readable(req, res)));
    }),
  );

  router.delete(
    '/rest/api/2/attachment/:id',
    handle((req, res) => {
      const { user } = stateOf(res);
      requireRole(user, 'agent', 'You do not have permission to delete attachments.');
      deleteAttachment(core, user, readable(req, res));
      res.status(204).end();
    }),
  );

  router.get(
    '/rest/api/2/attachment/content/:id',
    handle((req, res) => {
      const attachment = readable(req, res);
      if (core.settings.flavour === 'cloud' && queryString(req, 'redirect') !== 'false') {
        res.redirect(303, `${core.publicBaseUrl}/media/attachment/${attachment.id}?token=${signer.sign(attachment.id)}`);
        return;
      }
      sendContent(res, attachment);
    }),
  );

  router.get(
    ['/rest/api/2/attachment/thumbnail/:id', '/secure/thumbnail/:id/:filename'],
    handle((req, res) => {
      const attachment = readable(req, res);
      if (!attachment.mimeType.startsWith('image/')) {
        throw platformError(404, ['The attachment has no thumbnail.']);
      }
      sendContent(res, attachment);
    }),
  );

  router.get(
    '/secure/attachment/:id/:filename',
    handle((req, res) => {
      sendContent(res, readable(req, res));
    }),
  );
  return router;
}
