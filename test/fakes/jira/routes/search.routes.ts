/**
 * JQL search. Legacy `/search` pages with `startAt`, `maxResults` and `total`,
 * and Cloud has removed it (410). Enhanced `/search/jql` pages with an opaque
 * `nextPageToken` and `isLast`. It returns only ids unless fields are named,
 * rejects unbounded queries, and does not exist on Data Center. Results come
 * from the search index, which lags writes by `searchVisibilityDelayMs`.
 */
import { createHash } from 'node:crypto';

import { Router, type Request, type Response } from 'express';

import { isLegacySearchRemoved } from '../options';
import { platformError } from '../errors';
import { handle, jsonBody, queryInteger, queryString, stateOf } from '../http-utils';
import { parseExpand, parseFieldSelection, renderIssue } from '../issue-view';
import { compileJql, type CompiledJql } from '../jql-eval';
import { JqlError } from '../jql-parser';
import type { IssueRecord } from '../records';
import type { ApiDeps } from './deps';

const SEARCH_ISSUE_EXPAND = 'operations,versionedRepresentations,editmeta,changelog,renderedFields';

interface SearchParameters {
  jql: string;
  startAt: number;
  maxResults: number;
  fields: unknown;
  expand: unknown;
  nextPageToken?: string;
  reconcileIssues: string[];
}

function readParameters(req: Request): SearchParameters {
  if (req.method === 'POST') {
    const body = (jsonBody(req) ?? {}) as Record<string, unknown>;
    return {
      jql: typeof body.jql === 'string' ? body.jql : '',
      startAt: Number(body.startAt ?? 0),
      maxResults: Number(body.maxResults ?? 50),
      fields: body.fields,
      expand: body.expand,
      nextPageToken: typeof body.nextPageToken === 'string' ? body.nextPageToken : undefined,
      reconcileIssues: Array.isArray(body.reconcileIssues) ? body.reconcileIssues.map(String) : [],
    };
  }
  return {
    jql: queryString(req, 'jql') ?? '',
    startAt: queryInteger(req, 'startAt', 0),
    maxResults: queryInteger(req, 'maxResults', 50),
    fields: queryString(req, 'fields'),
    expand: queryString(req, 'expand'),
    nextPageToken: queryString(req, 'nextPageToken'),
    reconcileIssues: (queryString(req, 'reconcileIssues') ?? '').split(',').filter((id) => id !== ''),
  };
}

function compileOrReject(deps: ApiDeps, jql: string): CompiledJql {
  try {
    return compileJql(deps.core, jql);
  } catch (error) {
    if (error instanceof JqlError) {
      throw platformError(400, [error.message]);
    }
    throw error;
  }
}

function runSearch(deps: ApiDeps, res: Response, compiled: CompiledJql, reconcile: string[] = []): IssueRecord[] {
  const { user } = stateOf(res);
  if (user.role === 'customer' || user.role === 'none') {
    return [];
  }
  const issues = deps.core.store.searchableIssues(deps.core.now(), new Set(reconcile));
  try {
    return compiled.run(issues, user);
  } catch (error) {
    if (error instanceof JqlError) {
      throw platformError(400, [error.message]);
    }
    throw error;
  }
}

function namesAndSchema(deps: ApiDeps, expand: Set<string>): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  const fields = deps.core.store.catalog.fields;
  if (expand.has('names')) {
    extra.names = Object.fromEntries(fields.map((field) => [field.id, field.name]));
  }
  if (expand.has('schema')) {
    extra.schema = Object.fromEntries(fields.filter((field) => field.schema).map((field) => [field.id, field.schema]));
  }
  return extra;
}

function hashJql(jql: string): string {
  return createHash('sha256').update(jql).digest('hex').slice(0, 16);
}

function encodeToken(offset: number, jql: string): string {
  return Buffer.from(JSON.stringify({ o: offset, q: hashJql(jql) })).toString('base64url');
}

function decodeToken(token: string, jql: string): number {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; q?: unknown };
    if (typeof decoded.o === 'number' && decoded.q === hashJql(jql)) {
      return decoded.o;
    }
  } catch {
    // Fall through to the error below.
  }
  throw platformError(400, ['The provided next page token is invalid or does not belong to this query.']);
}

export function searchRoutes(deps: ApiDeps): Router {
  const router = Router();
  const settings = deps.core.settings;

  const legacySearch = handle((req, res) => {
    if (isLegacySearchRemoved(settings)) {
      throw platformError(410, [
        'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046',
      ]);
    }
    const { view } = stateOf(res);
    const parameters = readParameters(req);
    const compiled = compileOrReject(deps, parameters.jql);
    const matched = runSearch(deps, res, compiled);
    const maxResults = Math.min(parameters.maxResults, settings.searchMaxResultsCap);
    const selection = parseFieldSelection(parameters.fields, '*navigable');
    const expand = parseExpand(parameters.expand);
    const issues = matched.slice(parameters.startAt, parameters.startAt + maxResults).map((issue) => ({
      ...renderIssue(view, issue, { selection, expand }),
      expand: SEARCH_ISSUE_EXPAND,
    }));
    res.json({ expand: 'schema,names', startAt: parameters.startAt, maxResults, total: matched.length, issues, warningMessages: [], ...namesAndSchema(deps, expand) });
  });

  const enhancedSearch = handle((req, res) => {
    if (settings.flavour === 'datacenter') {
      throw platformError(404, [`null for uri: ${stateOf(res).view.url(req.path)}`]);
    }
    const { view } = stateOf(res);
    const parameters = readParameters(req);
    const compiled = compileOrReject(deps, parameters.jql);
    if (!compiled.isBounded) {
      throw platformError(400, ['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.']);
    }
    if (parameters.reconcileIssues.length > 50) {
      throw platformError(400, ['reconcileIssues accepts at most 50 issue ids.']);
    }
    const offset = parameters.nextPageToken ? decodeToken(parameters.nextPageToken, parameters.jql) : 0;
    const matched = runSearch(deps, res, compiled, parameters.reconcileIssues);
    const maxResults = Math.min(Math.max(parameters.maxResults, 1), settings.searchMaxResultsCap);
    const pageItems = matched.slice(offset, offset + maxResults);
    const selection = parseFieldSelection(parameters.fields, 'id');
    const expand = parseExpand(parameters.expand);
    const onlyId = !selection.all && [...selection.include].every((field) => field === 'id');
    const issues = pageItems.map((issue) =>
      onlyId ? { id: issue.id } : renderIssue(view, issue, { selection, expand }),
    );
    const isLast = offset + pageItems.length >= matched.length;
    res.json({ issues, ...(isLast ? {} : { nextPageToken: encodeToken(offset + pageItems.length, parameters.jql) }), isLast, ...namesAndSchema(deps, expand) });
  });

  router.get(['/rest/api/2/search', '/rest/api/3/search'], legacySearch);
  router.post(['/rest/api/2/search', '/rest/api/3/search'], legacySearch);
  router.get(['/rest/api/2/search/jql', '/rest/api/3/search/jql'], enhancedSearch);
  router.post(['/rest/api/2/search/jql', '/rest/api/3/search/jql'], enhancedSearch);
  router.post(
    ['/rest/api/2/search/approximate-count', '/rest/api/3/search/approximate-count'],
    handle((req, res) => {
      const body = jsonBody(req) as { jql?: unknown };
      const compiled = compileOrReject(deps, typeof body?.jql === 'string' ? body.jql : '');
      if (!compiled.isBounded) {
        throw platformError(400, ['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.']);
      }
      res.json({ count: runSearch(deps, res, compiled).length });
    }),
  );
  return router;
}
