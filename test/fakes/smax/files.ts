import { Request, Router } from 'express';

import { SmaxHttpError } from './errors';
import { FakeContext } from './fake-context';
import { actorOf, exchangeOf, routeParam } from './http-exchange';
import { MultipartError, multipartBoundary, parseMultipart } from './multipart';
import { Actor, StoredFile } from './smax-types';

/**
 * File repository: uploads through `ces/attachment` (Waldur) or
 * `frs/file-list`, download through `frs/file-list/{guid}`. Uploading does
 * not link the file to a Request; clients do that by rewriting the Request's
 * `RequestAttachments` through a bulk UPDATE.
 */

export interface FileUpload {
  name: string;
  contentType?: string;
  content: Buffer;
}

/** File description in the `ces/attachment` response. Waldur reads exactly these members. */
export interface FileDescription {
  guid: string;
  name: string;
  contentLength: number;
  contentType: string;
  lastModified: number;
}

export function describeFile(file: StoredFile): FileDescription {
  return {
    guid: file.guid,
    name: file.name,
    contentLength: file.content.length,
    contentType: file.contentType,
    lastModified: file.lastModified,
  };
}

/** Stores a file uploaded by `actor`; raises 413 above `maxUploadBytes` and 400 without a file name. */
export function storeFile(ctx: FakeContext, upload: FileUpload, actor: Actor): StoredFile {
  if (upload.name.trim() === '') {
    throw new SmaxHttpError(400, 'The uploaded file has no file name.');
  }
  if (upload.content.length > ctx.config.maxUploadBytes) {
    throw new SmaxHttpError(413, `The file ${upload.name} has ${upload.content.length} bytes; the maximum is ${ctx.config.maxUploadBytes}.`);
  }
  const file: StoredFile = {
    guid: ctx.store.nextUuid(),
    name: upload.name,
    contentType: upload.contentType ?? 'application/octet-stream',
    content: Buffer.from(upload.content),
    lastModified: ctx.store.nextTimestamp(),
    creatorPersonId: actor.personId,
  };
  ctx.store.files.set(file.guid, file);
  return file;
}

/** Reads the `files[]` parts of a multipart upload; raises 400 when there are none or one lacks a file name. */
function readUploads(req: Request, body: Buffer): FileUpload[] {
  let parts;
  try {
    parts = parseMultipart(body, multipartBoundary(req.headers['content-type']));
  } catch (error) {
    if (error instanceof MultipartError) {
      throw new SmaxHttpError(400, error.message);
    }
    throw error;
  }
  const files = parts.filter((part) => part.name === 'files[]');
  if (files.length === 0) {
    const names = parts.map((part) => part.name).join(', ') || 'none';
    throw new SmaxHttpError(400, `The upload has no multipart part named "files[]" (parts found: ${names}).`);
  }
  return files.map((part) => {
    if (part.fileName === undefined) {
      throw new SmaxHttpError(400, 'A "files[]" part has no filename in its Content-Disposition header.');
    }
    return { name: part.fileName, contentType: part.contentType, content: part.data };
  });
}

function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Routes the file repository (mounted under `/rest/{tenant}`). */
export function filesRouter(ctx: FakeContext): Router {
  const router = Router();

  // NOTE: the response to several files in one upload is not public, so this fake returns a list then.
  router.post('/ces/attachment', (req, res) => {
    const actor = actorOf(res);
    const stored = readUploads(req, exchangeOf(res).rawBody).map((upload) => describeFile(storeFile(ctx, upload, actor)));
    res.json(stored.length === 1 ? stored[0] : stored);
  });

  router.post('/frs/file-list', (req, res) => {
    const actor = actorOf(res);
    const rawName = req.headers['fs_filename'];
    if (typeof rawName === 'string') {
      // Raw upload: the body is the file and `fs_filename` names it. Node reads header bytes as
      // Latin-1, so a UTF-8 name is decoded again here.
      const name = Buffer.from(rawName, 'latin1').toString('utf8');
      const file = storeFile(ctx, { name, contentType: req.headers['content-type'], content: exchangeOf(res).rawBody }, actor);
      res.json({ id: file.guid });
      return;
    }
    const stored = readUploads(req, exchangeOf(res).rawBody).map((upload) => describeFile(storeFile(ctx, upload, actor)));
    res.json(stored.length === 1 ? { success: true, ...stored[0] } : stored.map((file) => ({ success: true, ...file })));
  });

  router.get('/frs/file-list/:guid', (req, res) => {
    const file = ctx.store.files.get(routeParam(req, 'guid'));
    if (!file) {
      throw new SmaxHttpError(404, `File ${routeParam(req, 'guid')} was not found in the file repository.`);
    }
    res.status(200);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Length', String(file.content.length));
    res.setHeader('Content-Disposition', contentDisposition(file.name));
    res.end(file.content);
  });

  return router;
}
