/** Helpers shared by the Service Management route modules. */
import type { Request, Response } from 'express';

import { jsmError } from '../errors';
import { queryInteger, stateOf } from '../http-utils';
import type { ServiceDeskRecord } from '../seed';
import type { ApiDeps } from './deps';

const JSM_MAX_LIMIT = 100;

/** Throws unless the request opted into experimental JSM routes with `X-ExperimentalApi: opt-in`. */
// NOTE: the status and text Jira uses for a missing opt-in header are not published, so the status is a setting.
export function requireExperimentalOptIn(deps: ApiDeps, req: Request): void {
  if (String(req.headers['x-experimentalapi'] ?? '').toLowerCase() !== 'opt-in') {
    throw jsmError(
      deps.core.settings.experimentalApiStatus,
      "This API is experimental. Experimental APIs are not guaranteed to be stable within the preview period. You must set the header 'X-ExperimentalApi: opt-in' to opt into using this API.",
      'sd.api.experimental.opt.in.required',
    );
  }
}

/**
 * Finds a service desk by numeric id. A project key fails the way Jira 8.7 /
 * Service Desk 4.7 does (JSDSERVER-4877), with `java.lang.NumberFormatException`
 * in the message, unless `serviceDeskKeyLookup` lets keys resolve.
 */
// NOTE: the 500 status of the NumberFormatException error is inferred from it being an uncaught Java exception.
export function serviceDeskOrThrow(deps: ApiDeps, idOrKey: string): ServiceDeskRecord {
  const store = deps.core.store;
  if (!/^\d+$/.test(idOrKey)) {
    const byKey = store.serviceDesks().find((desk) => desk.projectKey === idOrKey.toUpperCase());
    if (deps.core.settings.serviceDeskKeyLookup && byKey) {
      return byKey;
    }
    throw jsmError(500, `java.lang.NumberFormatException: For input string: "${idOrKey}"`, 'sd.error.unexpected');
  }
  const desk = store.serviceDesk(idOrKey);
  if (!desk) {
    throw jsmError(404, `The service desk with ID ${idOrKey} does not exist.`, 'sd.service.desk.not.found');
  }
  return desk;
}

/** Reads JSM paging parameters `start` and `limit`. */
export function pageParameters(req: Request): { start: number; limit: number } {
  return { start: queryInteger(req, 'start', 0), limit: Math.min(Math.max(queryInteger(req, 'limit', 50), 1), JSM_MAX_LIMIT) };
}

/** Slices a list into one JSM page. */
export function slicePage<T>(items: T[], start: number, limit: number): { values: T[]; isLastPage: boolean } {
  const values = items.slice(start, start + limit);
  return { values, isLastPage: start + values.length >= items.length };
}

/** Sends one page of `items` in the JSM page envelope. */
export function sendJsmPage(res: Response, items: unknown[], start: number, limit: number, path: string): void {
  const { values, isLastPage } = slicePage(items, start, limit);
  res.json(stateOf(res).view.jsmPage(values, start, limit, isLastPage, path));
}
