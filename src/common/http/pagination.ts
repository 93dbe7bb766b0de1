import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Request, Response } from 'express';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

import { NotFoundException } from '../errors/app.exception';
import { ApiUrls } from './api-urls';

export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 300;

/**
 * Page-number pagination as Waldur does it: `page` and `page_size` in the query,
 * a bare JSON array in the body, `X-Result-Count` and an RFC 8288 `Link` header.
 */
export class Paginator {
  /** The page served; `page=last` is resolved once the total is known. */
  private page: number | 'last';
  readonly pageSize: number;

  constructor(
    private readonly request: Request,
    private readonly response: Response,
    defaultPageSize = DEFAULT_PAGE_SIZE,
  ) {
    this.page = parsePage(request.query.page);
    this.pageSize = parsePageSize(request.query.page_size, defaultPageSize);
  }

  private get offset(): number {
    if (this.page === 'last') throw new Error('The last page is known only after setHeaders().');
    return (this.page - 1) * this.pageSize;
  }

  get isHead(): boolean {
    return this.request.method === 'HEAD';
  }

  /**
   * Counts and fetches one page of the query, setting the headers; HEAD skips the fetch.
   * Uses LIMIT/OFFSET, so the query may join only to-one relations.
   */
  async paginate<T extends ObjectLiteral>(query: SelectQueryBuilder<T>): Promise<T[]> {
    const total = await query.clone().orderBy().getCount();
    this.setHeaders(total);
    if (this.isHead) return [];
    return query.offset(this.offset).limit(this.pageSize).getMany();
  }

  /** Paginates rows already in memory (small reference lists). */
  paginateArray<T>(rows: T[]): T[] {
    this.setHeaders(rows.length);
    if (this.isHead) return [];
    return rows.slice(this.offset, this.offset + this.pageSize);
  }

  private setHeaders(total: number): void {
    const lastPage = Math.max(1, Math.ceil(total / this.pageSize));
    if (this.page === 'last') this.page = lastPage;
    if (this.page > lastPage) throw new NotFoundException('Invalid page.');

    const urls = ApiUrls.fromRequest(this.request);
    const link = (page: number) => urls.withQuery(this.request, { page: String(page) });
    const links: string[] = [`<${link(1)}>; rel="first"`];
    if (this.page > 1) links.push(`<${link(this.page - 1)}>; rel="prev"`);
    if (this.page < lastPage) links.push(`<${link(this.page + 1)}>; rel="next"`);
    links.push(`<${link(lastPage)}>; rel="last"`);

    this.response.setHeader('X-Result-Count', String(total));
    this.response.setHeader('Link', links.join(', '));
  }
}

function parsePage(raw: unknown): number | 'last' {
  const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  if (value === undefined || value === '') return 1;
  // DRF's page-number pagination names the last page `last`.
  if (value === 'last') return 'last';
  const page = Number(value);
  if (!Number.isInteger(page) || page < 1) throw new NotFoundException('Invalid page.');
  return page;
}

function parsePageSize(raw: unknown, fallback: number): number {
  const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  const size = Number(value);
  if (value === undefined || value === '' || !Number.isInteger(size) || size < 1) return fallback;
  return Math.min(size, MAX_PAGE_SIZE);
}

/** Injects a `Paginator` for the current request. */
export const Pagination = createParamDecorator((defaultPageSize: number | undefined, context: ExecutionContext) => {
  const http = context.switchToHttp();
  return new Paginator(http.getRequest<Request>(), http.getResponse<Response>(), defaultPageSize);
});

/** Injects the `ApiUrls` for the current request. */
export const Urls = createParamDecorator((_: unknown, context: ExecutionContext) =>
  ApiUrls.fromRequest(context.switchToHttp().getRequest<Request>()),
);
