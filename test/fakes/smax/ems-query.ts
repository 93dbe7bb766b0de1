import { Router } from 'express';

import { EntityType, isEntityType } from './entity-schema';
import { evaluateFilter, FilterNode, filterProperties, FilterSyntaxError, parseFilter } from './ems-filter';
import {
  compareValues,
  Layout,
  LayoutError,
  OrderKey,
  parseLayout,
  parseOrder,
  readProperty,
  RecordReader,
  renderEntity,
  splitDotted,
} from './ems-layout';
import { FakeContext } from './fake-context';
import { queryValue, routeParam } from './http-exchange';
import { EmsEntity } from './smax-types';

/** Query parameters of `GET /rest/{tenant}/ems/{EntityType}`, as received. */
export interface EmsQueryParams {
  layout?: string;
  filter?: string;
  order?: string;
  size?: string;
  skip?: string;
  meta?: string;
}

export interface QueryMeta {
  completion_status: 'OK' | 'FAILED';
  total_count: number;
  errorDetails?: { message: string; code: string };
  errorDetailsList: Array<{ message: string; code: string }>;
  errorDetailsMetaList: unknown[];
  /** Time of the query in epoch microseconds, unlike the millisecond record times. */
  query_time: number;
}

export interface QueryEnvelope {
  entities: EmsEntity[];
  meta: QueryMeta;
}

/** Query that SMAX would reject. The route returns the configured status and a FAILED envelope. */
export class EmsQueryError extends Error {}

let queryCounter = 0;

/**
 * Returns the query time in epoch microseconds. It is never earlier than a
 * stored `LastUpdateTime`, which can run ahead of the clock when several
 * writes share one millisecond, so a client may use it as a polling watermark.
 */
function queryTime(ctx: FakeContext): number {
  queryCounter = (queryCounter + 1) % 1000;
  return ctx.store.latestTimestamp() * 1000 + queryCounter;
}

function okMeta(ctx: FakeContext, totalCount: number): QueryMeta {
  return {
    completion_status: 'OK',
    total_count: totalCount,
    errorDetailsList: [],
    errorDetailsMetaList: [],
    query_time: queryTime(ctx),
  };
}

// NOTE: the members of `errorDetails` are not documented publicly; clients should read only `message`.
export function failedEnvelope(ctx: FakeContext, message: string, code: string): QueryEnvelope {
  const details = { message, code };
  return {
    entities: [],
    meta: {
      completion_status: 'FAILED',
      total_count: 0,
      errorDetails: details,
      errorDetailsList: [details],
      errorDetailsMetaList: [],
      query_time: queryTime(ctx),
    },
  };
}

function visibleReader(ctx: FakeContext): RecordReader {
  return (type, id) => ctx.store.visible(type, id);
}

function parseCount(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) {
    return fallback;
  }
  if (!/^\d+$/.test(text)) {
    throw new EmsQueryError(`Invalid ${name} "${text}"; expected an integer >= 0.`);
  }
  return Number(text);
}

function requireLayout(ctx: FakeContext, type: EntityType, params: EmsQueryParams): Layout {
  if (params.layout === undefined) {
    throw new EmsQueryError('The layout parameter is mandatory, e.g. layout=Id,DisplayLabel or layout=FULL_LAYOUT.');
  }
  return parseLayout(type, params.layout, ctx.config.alwaysReturnedProperties);
}

/** Runs a collection query: filter, order, then `skip`/`size` paging over what queries see now. */
export function runCollectionQuery(ctx: FakeContext, type: EntityType, params: EmsQueryParams): QueryEnvelope {
  const layout = requireLayout(ctx, type, params);
  const reader = visibleReader(ctx);
  let filter: FilterNode | undefined;
  try {
    filter = params.filter === undefined || params.filter.trim() === '' ? undefined : parseFilter(params.filter);
  } catch (error) {
    if (error instanceof FilterSyntaxError) {
      throw new EmsQueryError(error.message);
    }
    throw error;
  }
  for (const name of filter ? filterProperties(filter) : []) {
    splitDotted(type, name);
  }
  const order: OrderKey[] = params.order ? parseOrder(type, params.order) : [];
  const size = Math.min(parseCount('size', params.size, ctx.config.defaultPageSize), ctx.config.maxPageSize);
  const skip = parseCount('skip', params.skip, 0);

  let records = ctx.store.list(type, 'visible');
  if (filter) {
    const node = filter;
    records = records.filter((record) =>
      evaluateFilter(node, (name) => readProperty(type, record, name, reader)),
    );
  }
  records.sort((left, right) => {
    for (const key of order) {
      const result = compareValues(readProperty(type, left, key.property, reader), readProperty(type, right, key.property, reader));
      if (result !== 0) {
        return key.descending ? -result : result;
      }
    }
    return compareValues(left.Id, right.Id);
  });

  const wantsTotal = (params.meta ?? '').split(',').includes('totalCount');
  const totalCount = wantsTotal || !ctx.config.totalCountRequiresMeta ? records.length : 0;
  const page = records.slice(skip, skip + size).map((record) => renderEntity(type, record, layout, reader));
  return { entities: page, meta: okMeta(ctx, totalCount) };
}

/** Runs a single-record query; returns undefined when queries cannot see the record. */
export function runSingleQuery(
  ctx: FakeContext,
  type: EntityType,
  id: string,
  params: EmsQueryParams,
): QueryEnvelope | undefined {
  const layout = requireLayout(ctx, type, params);
  const record = ctx.store.visible(type, id);
  if (!record) {
    return undefined;
  }
  return { entities: [renderEntity(type, record, layout, visibleReader(ctx))], meta: okMeta(ctx, 1) };
}

/** Routes `GET ems/{EntityType}` and `GET ems/{EntityType}/{id}` (mounted under `/rest/{tenant}`). */
export function emsQueryRouter(ctx: FakeContext): Router {
  const router = Router();

  router.get(['/ems/:entityType', '/ems/:entityType/:id'], (req, res) => {
    const typeName = routeParam(req, 'entityType');
    if (!isEntityType(typeName)) {
      res.status(404).json(failedEnvelope(ctx, `Entity type "${typeName}" does not exist.`, 'ENTITY_TYPE_NOT_FOUND'));
      return;
    }
    const params: EmsQueryParams = {
      layout: queryValue(req, 'layout'),
      filter: queryValue(req, 'filter'),
      order: queryValue(req, 'order'),
      size: queryValue(req, 'size'),
      skip: queryValue(req, 'skip'),
      meta: queryValue(req, 'meta'),
    };
    try {
      const id = req.params.id === undefined ? undefined : routeParam(req, 'id');
      if (id === undefined) {
        res.json(runCollectionQuery(ctx, typeName, params));
        return;
      }
      const envelope = runSingleQuery(ctx, typeName, id, params);
      if (!envelope) {
        res.status(404).json(failedEnvelope(ctx, `${typeName} with Id ${id} was not found.`, 'RECORD_NOT_FOUND'));
        return;
      }
      res.json(envelope);
    } catch (error) {
      if (error instanceof EmsQueryError || error instanceof LayoutError) {
        res.status(ctx.config.queryErrorStatus).json(failedEnvelope(ctx, error.message, 'INVALID_QUERY'));
        return;
      }
      throw error;
    }
  });

  return router;
}
