import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Request } from 'express';

import { storedUploads } from './multipart-upload';

/** Injects the files an upload interceptor stored for this request (`StoredUpload[]`). */
export const StoredUploads = createParamDecorator((_: unknown, context: ExecutionContext) =>
  storedUploads(context.switchToHttp().getRequest<Request>()),
);
