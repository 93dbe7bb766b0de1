import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';

import { UnsupportedMediaTypeException } from '../errors/app.exception';
import { ANY_MEDIA_TYPE } from './any-media-type.decorator';

/** The body types DRF parses by default, and so the ones Waldur's clients send. */
const PARSED_MEDIA_TYPES = ['application/json', 'application/*+json', 'application/x-www-form-urlencoded', 'multipart/form-data'];

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Answers 415 to a POST, PUT or PATCH whose body is of a type no parser reads, as DRF does,
 * instead of running the handler on an empty body. It is a global guard registered after
 * `TokenAuthGuard`, so anonymous callers still get 401 first. Requests without a body or
 * without a `Content-Type` pass: Node clients send an empty chunked body on a bare POST.
 */
@Injectable()
export class MediaTypeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    const contentType = request.headers['content-type'];
    if (!METHODS_WITH_BODY.has(request.method) || !contentType) return true;

    // `is` returns null when the request has no body, and false when its type matches none.
    if (request.is(PARSED_MEDIA_TYPES) !== false) return true;
    if (this.reflector.getAllAndOverride<boolean | undefined>(ANY_MEDIA_TYPE, [context.getHandler(), context.getClass()])) return true;

    throw new UnsupportedMediaTypeException(`Unsupported media type "${contentType}" in request.`);
  }
}
