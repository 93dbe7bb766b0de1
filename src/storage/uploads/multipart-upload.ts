import { CallHandler, ExecutionContext, Logger } from '@nestjs/common';
import { Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import { catchError, from, mergeMap, Observable, throwError } from 'rxjs';

import {
  AppException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
  ValidationFailedException,
} from '../../common/errors/app.exception';
import { FileStorage, StorageNamespace } from '../file-storage';
import { StorageUploadEngine, StoredMulterFile, UploadStorageError } from './storage-upload.engine';
import { StoredUpload } from './stored-upload';

export interface MultipartUploadOptions {
  namespace: StorageNamespace;
  /** The form field that carries the files. */
  fileField: string;
  maxFiles: number;
  /** Size limit of each file, in bytes. */
  maxFileBytes: number;
  /** Checks a file by its name before any byte is stored; throw an `AppException` to reject it. */
  checkFileName?: (fileName: string) => void;
}

const MEBIBYTE = 1024 * 1024;

const logger = new Logger('MultipartUpload');

/** Returns the files `receiveMultipart` stored for this request, in the order they arrived. */
export function storedUploads(request: Request): StoredUpload[] {
  const single = (request as Request & { file?: StoredMulterFile }).file;
  const many = (request as Request & { files?: StoredMulterFile[] }).files;
  const files = single ? [single] : Array.isArray(many) ? many : [];
  return files.map((file) => file.stored);
}

/**
 * Parses a `multipart/form-data` request with multer, streaming files into `FileStorage`.
 * Text fields land in `request.body`, stored files in `storedUploads(request)`. A request
 * with a body of another content type is rejected with 415; one without a body passes
 * through, so that validation reports the missing fields.
 */
export async function receiveMultipart(request: Request, response: Response, storage: FileStorage, options: MultipartUploadOptions): Promise<void> {
  const contentType = request.headers['content-type'];
  if (!contentType) return;
  if (!request.is('multipart/form-data')) {
    throw new UnsupportedMediaTypeException(`Unsupported media type "${contentType}" in request.`);
  }

  const upload = multer({
    storage: new StorageUploadEngine(storage, options.namespace),
    defParamCharset: 'utf8',
    limits: { fileSize: options.maxFileBytes, files: options.maxFiles, fields: 50, parts: options.maxFiles + 50 },
    fileFilter: (_request, file, accept) => {
      try {
        options.checkFileName?.(file.originalname);
        accept(null, true);
      } catch (error) {
        accept(error as Error);
      }
    },
  });
  const middleware = options.maxFiles === 1 ? upload.single(options.fileField) : upload.array(options.fileField, options.maxFiles);

  await new Promise<void>((resolve, reject) => {
    middleware(request, response, (error?: unknown) => (error ? reject(translateUploadError(error, options)) : resolve()));
  });
}

/**
 * Runs `receiveMultipart` before the handler and deletes the stored files again when
 * anything after it fails: validation, permission checks or the handler itself.
 */
export async function interceptUpload(
  context: ExecutionContext,
  next: CallHandler,
  storage: FileStorage,
  options: MultipartUploadOptions,
): Promise<Observable<unknown>> {
  const http = context.switchToHttp();
  const request = http.getRequest<Request>();
  await receiveMultipart(request, http.getResponse<Response>(), storage, options);

  return next.handle().pipe(
    catchError((error: unknown) =>
      from(discardUploads(storage, storedUploads(request))).pipe(mergeMap(() => throwError(() => error))),
    ),
  );
}

export async function discardUploads(storage: FileStorage, uploads: StoredUpload[]): Promise<void> {
  for (const upload of uploads) {
    try {
      await storage.delete(upload.storageKey);
    } catch (error) {
      logger.error({ err: error, storageKey: upload.storageKey }, 'Could not delete the file of a rejected upload');
    }
  }
}

/** Formats a byte count as mebibytes, the unit of `SUPPORT_ATTACHMENT_MAX_SIZE_MB`. */
export function formatMegabytes(bytes: number): string {
  return `${Number((bytes / MEBIBYTE).toFixed(2))} MB`;
}

function translateUploadError(error: unknown, options: MultipartUploadOptions): unknown {
  if (error instanceof AppException) return error;
  if (error instanceof UploadStorageError) return error.cause;
  if (error instanceof MulterError) {
    switch (error.code) {
      case 'LIMIT_FILE_SIZE':
        return new PayloadTooLargeException(`The file is too large. The maximum size is ${formatMegabytes(options.maxFileBytes)}.`);
      case 'LIMIT_FILE_COUNT':
        return ValidationFailedException.field(options.fileField, `Upload at most ${options.maxFiles} file${options.maxFiles === 1 ? '' : 's'} at once.`);
      case 'LIMIT_UNEXPECTED_FILE':
        return ValidationFailedException.field(error.field ?? 'non_field_errors', `Unexpected file; send files in the "${options.fileField}" field.`);
      default:
        return new AppException('validation_failed', `Multipart form parse error - ${error.message}`);
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AppException('validation_failed', `Multipart form parse error - ${message}`);
}
