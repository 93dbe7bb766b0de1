import { FormData, Response } from 'undici';

import type { EmsBulkOperation, EmsBulkResponse, EmsEntity, EmsErrorDetails, EmsProperties, EmsQueryResponse, SmaxCommentJson } from './ems-types';
import { mapUpload, SmaxUploadedFile } from './smax-attachment.mapper';
import { mapComment, mapComments, SmaxCommentInput, SmaxCommentSnapshot, toCommentBody } from './smax-comment.mapper';
import { SmaxCall, SmaxHttpClient, SmaxQuery } from './smax-http.client';
import { mapRequest, SmaxRequestSnapshot } from './smax.mapper';
import { SmaxError } from './smax.exception';
import { epochMicrosToDate, readNumber, readString } from './smax-values';

export const FULL_LAYOUT = 'FULL_LAYOUT';

/** Request properties a pull maps; `Comments` is left out because comments are read through the collaboration API. */
export const REQUEST_LAYOUT = 'Id,DisplayLabel,Description,PhaseId,Status,RequestedByPerson,EmsCreationTime,LastUpdateTime,RequestAttachments';

const PERSON_LAYOUT = 'Id,Name,FirstName,LastName,Email,Upn,ExternalId';

/** Completion statuses that mean success; clients have seen all three. */
const OK_STATUSES = new Set(['OK', 'SUCCESS', 'COMPLETED']);

export interface SmaxPerson {
  id: string;
  name: string | undefined;
  email: string | undefined;
  upn: string | undefined;
  externalId: string | undefined;
}

export interface NewPersonInput {
  firstName: string | undefined;
  lastName: string;
  email: string;
}

export interface EmsQuery {
  /** Mandatory on SMAX: property names, dotted related names, or `FULL_LAYOUT`. */
  layout: string;
  filter?: string;
  order?: string;
  size?: number;
  skip?: number;
  /** Asks for `meta.total_count`, which some servers fill in only on request. */
  totalCount?: boolean;
}

export interface EmsPage {
  entities: EmsEntity[];
  totalCount: number | undefined;
  /** Server time of the query, from `meta.query_time` (microseconds). */
  queryTime: Date | null;
}

/** Quotes a string for an EMS filter: single quotes, with a quote inside doubled. */
export function emsLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Writes a record Id for an EMS filter: bare when numeric, as Waldur sends `Id=12345`, else quoted. */
export function emsIdLiteral(id: string): string {
  return /^\d+$/.test(id) ? id : emsLiteral(id);
}

/**
 * The SMAX calls the adapter makes: EMS queries and bulk writes, the collaboration API for
 * comments and the file repository. Responses are mapped to our snapshots here, so no vendor
 * JSON leaves this folder.
 */
export class SmaxClient {
  constructor(private readonly http: SmaxHttpClient) {}

  get login(): string {
    return this.http.login;
  }

  close(): Promise<void> {
    return this.http.close();
  }

  async query(entityType: string, query: EmsQuery): Promise<EmsPage> {
    const params: SmaxQuery = {
      layout: query.layout,
      filter: query.filter,
      order: query.order,
      size: query.size,
      skip: query.skip,
      meta: query.totalCount ? 'totalCount' : undefined,
    };
    const call: SmaxCall = { method: 'GET', path: `ems/${entityType}`, query: params };
    const body = await this.http.json<EmsQueryResponse>(call);
    const status = body?.meta?.completion_status;
    if (status !== undefined && !OK_STATUSES.has(status.toUpperCase())) {
      throw new SmaxError(`SMAX rejected the query of ${entityType}: ${errorMessage(body?.meta?.errorDetails ?? body?.meta?.errorDetailsList?.[0])}`, {
        status: 200,
        retryable: false,
      });
    }
    return {
      entities: Array.isArray(body?.entities) ? body.entities : [],
      totalCount: readNumber(body?.meta?.total_count),
      queryTime: epochMicrosToDate(body?.meta?.query_time),
    };
  }

  /** Reads one Request by a collection query on its Id, as Waldur does; undefined when queries do not see it (yet). */
  async getRequest(id: string, layout = FULL_LAYOUT): Promise<SmaxRequestSnapshot | undefined> {
    const page = await this.query('Request', { layout, filter: `Id = ${emsIdLiteral(id)}` });
    const entity = page.entities.find((candidate) => readString(candidate.properties?.Id) === id);
    return entity ? this.mapRequestEntity(entity) : undefined;
  }

  async queryRequests(query: EmsQuery): Promise<{ requests: SmaxRequestSnapshot[]; totalCount: number | undefined; queryTime: Date | null }> {
    const page = await this.query('Request', query);
    return { requests: page.entities.map((entity) => this.mapRequestEntity(entity)), totalCount: page.totalCount, queryTime: page.queryTime };
  }

  /** Creates one record with a bulk CREATE and returns its Id. */
  async createEntity(entityType: string, properties: EmsProperties): Promise<string> {
    const [result] = await this.bulk('CREATE', entityType, properties);
    const id = readString(result?.entity?.properties?.Id);
    if (id === undefined) {
      throw new SmaxError(`SMAX accepted the ${entityType} CREATE but returned no Id.`, { status: 200, retryable: false });
    }
    return id;
  }

  /** Changes one record with a bulk UPDATE; `properties` must contain its `Id`. */
  async updateEntity(entityType: string, properties: EmsProperties): Promise<void> {
    await this.bulk('UPDATE', entityType, properties);
  }

  async findPersonById(id: string): Promise<SmaxPerson | undefined> {
    return this.findPerson(`Id = ${emsIdLiteral(id)}`);
  }

  async findPersonByEmail(email: string): Promise<SmaxPerson | undefined> {
    return this.findPerson(`Email = ${emsLiteral(email)}`);
  }

  async findPersonByUpn(upn: string): Promise<SmaxPerson | undefined> {
    return this.findPerson(`Upn = ${emsLiteral(upn)}`);
  }

  async findPersonByExternalId(externalId: string): Promise<SmaxPerson | undefined> {
    return this.findPerson(`ExternalId = ${emsLiteral(externalId)}`);
  }

  /** Creates a Person and returns its Id. SMAX may not show it to queries at once. */
  async createPerson(input: NewPersonInput): Promise<string> {
    const properties: EmsProperties = { LastName: input.lastName, Email: input.email };
    if (input.firstName) properties.FirstName = input.firstName;
    return this.createEntity('Person', properties);
  }

  async listComments(requestId: string): Promise<SmaxCommentSnapshot[]> {
    const body = await this.http.json<unknown>({ method: 'GET', path: commentsPath(requestId) });
    return mapComments(body);
  }

  async addComment(requestId: string, input: SmaxCommentInput): Promise<SmaxCommentSnapshot> {
    const body = await this.http.json<unknown>({ method: 'POST', path: commentsPath(requestId), body: jsonBody(toCommentBody(input)) });
    const comment = typeof body === 'object' && body !== null ? mapComment(body as SmaxCommentJson) : undefined;
    if (!comment) {
      throw new SmaxError(`SMAX added a comment to Request ${requestId} but returned no comment Id.`, {
        status: 200,
        retryable: false,
        outcomeUnknown: true,
      });
    }
    return comment;
  }

  /** Replaces a comment; PUT resends the whole comment. */
  async updateComment(requestId: string, commentId: string, input: SmaxCommentInput): Promise<void> {
    await this.http.send({ method: 'PUT', path: `${commentsPath(requestId)}/${encodeURIComponent(commentId)}`, body: jsonBody(toCommentBody(input)) });
  }

  /** Deletes a comment; a comment that is already gone counts as deleted. */
  async deleteComment(requestId: string, commentId: string): Promise<void> {
    try {
      await this.http.send({ method: 'DELETE', path: `${commentsPath(requestId)}/${encodeURIComponent(commentId)}` });
    } catch (error) {
      if (error instanceof SmaxError && error.status === 404) return;
      throw error;
    }
  }

  /** Stores a file in the file repository (`ces/attachment`, multipart part `files[]`). */
  async uploadFile(name: string, contentType: string, content: Buffer): Promise<SmaxUploadedFile> {
    const form = new FormData();
    // NOTE: the part's filename is raw UTF-8 as browsers send it, with `"` sent as `%22`; whether SMAX decodes `%22` is not known.
    form.append('files[]', new Blob([new Uint8Array(content)], { type: contentType }), name);
    // Serialized once, so the same bytes can be sent again after a fresh login.
    const encoded = new Response(form);
    const bytes = Buffer.from(await encoded.arrayBuffer());
    const multipartType = encoded.headers.get('content-type') ?? 'multipart/form-data';
    const body = await this.http.json<unknown>({ method: 'POST', path: 'ces/attachment', body: { bytes, contentType: multipartType } });
    try {
      return mapUpload(body, { name, size: content.length, contentType });
    } catch (error) {
      throw new SmaxError(`SMAX did not store the file ${name}: ${(error as Error).message}`, { status: 200, retryable: false });
    }
  }

  async downloadFile(guid: string): Promise<{ content: Buffer; contentType: string | undefined }> {
    const response = await this.http.send({ method: 'GET', path: `frs/file-list/${encodeURIComponent(guid)}` });
    const header = response.headers['content-type'];
    return { content: response.body, contentType: Array.isArray(header) ? header[0] : header };
  }

  private async findPerson(filter: string): Promise<SmaxPerson | undefined> {
    const page = await this.query('Person', { layout: PERSON_LAYOUT, filter, size: 2 });
    const properties = page.entities[0]?.properties;
    const id = readString(properties?.Id);
    if (!properties || id === undefined) return undefined;
    return {
      id,
      name: readString(properties.Name),
      email: readString(properties.Email),
      upn: readString(properties.Upn),
      externalId: readString(properties.ExternalId),
    };
  }

  /**
   * Runs a bulk write of one entity. SMAX reports business-rule failures as HTTP 200 with
   * `completion_status: "FAILED"` on the entity or in `meta`; both are raised as SmaxError.
   */
  private async bulk(operation: EmsBulkOperation, entityType: string, properties: EmsProperties) {
    const payload = { entities: [{ entity_type: entityType, properties }], operation };
    const body = await this.http.json<EmsBulkResponse>({ method: 'POST', path: 'ems/bulk', body: jsonBody(payload) });
    const results = Array.isArray(body?.entity_result_list) ? body.entity_result_list : [];
    const failed = results.find((result) => isFailed(result.completion_status));
    if (failed || isFailed(body?.meta?.completion_status)) {
      const target = readString(properties.Id) ? `${entityType} ${String(properties.Id)}` : entityType;
      throw new SmaxError(`SMAX rejected the ${operation} of ${target}: ${errorMessage(failed?.errorDetails ?? body?.meta?.errorDetails)}`, {
        status: 200,
        retryable: false,
      });
    }
    return results;
  }

  private mapRequestEntity(entity: EmsEntity): SmaxRequestSnapshot {
    try {
      return mapRequest(entity);
    } catch (error) {
      throw new SmaxError(`SMAX returned an unreadable Request: ${(error as Error).message}`, { status: 200, retryable: false });
    }
  }
}

function commentsPath(requestId: string): string {
  return `collaboration/comments/Request/${encodeURIComponent(requestId)}`;
}

function jsonBody(payload: unknown): SmaxCall['body'] {
  return { bytes: Buffer.from(JSON.stringify(payload)), contentType: 'application/json' };
}

function isFailed(status: string | undefined): boolean {
  return status !== undefined && !OK_STATUSES.has(status.toUpperCase());
}

function errorMessage(details: EmsErrorDetails | undefined): string {
  return typeof details?.message === 'string' && details.message.trim() !== '' ? details.message : 'no reason given';
}
