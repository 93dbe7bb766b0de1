/**
 * Wire shapes of the SMAX EMS, collaboration and file APIs, as far as this adapter reads
 * them. Every member is optional or loosely typed because public SMAX material does not
 * pin them down; the mappers check each value before using it.
 */

/** A property value as EMS sends it: ids are usually strings, times epoch-millisecond numbers. */
export type EmsValue = string | number | boolean | null;

export type EmsProperties = Record<string, EmsValue | undefined>;

export interface EmsEntity {
  entity_type?: string;
  properties?: EmsProperties;
  related_properties?: Record<string, EmsProperties | undefined>;
}

export interface EmsErrorDetails {
  message?: unknown;
  [member: string]: unknown;
}

export interface EmsMeta {
  completion_status?: string;
  total_count?: number;
  /** Time of the query in epoch microseconds, unlike the millisecond record times. */
  query_time?: number;
  errorDetails?: EmsErrorDetails;
  errorDetailsList?: EmsErrorDetails[];
}

/** Body of `GET ems/<EntityType>`. */
export interface EmsQueryResponse {
  entities?: EmsEntity[];
  meta?: EmsMeta;
}

export interface EmsEntityResult {
  entity?: EmsEntity;
  completion_status?: string;
  errorDetails?: EmsErrorDetails;
}

export interface EmsRelationshipResult {
  completion_status?: string;
  errorDetails?: EmsErrorDetails;
}

/** Body of `POST ems/bulk`; SMAX sends it with HTTP 200 even when entities FAILED. */
export interface EmsBulkResponse {
  entity_result_list?: EmsEntityResult[];
  relationship_result_list?: EmsRelationshipResult[];
  meta?: EmsMeta;
}

export type EmsBulkOperation = 'CREATE' | 'UPDATE';

/** A comment as the collaboration API returns it. */
export interface SmaxCommentJson {
  Id?: unknown;
  Body?: unknown;
  PrivacyType?: unknown;
  Submitter?: { UserId?: unknown } | unknown;
  FunctionalPurpose?: unknown;
  IsSystem?: unknown;
  /** File repository guids of the files sent with the comment. */
  AttachmentIds?: unknown;
  CreateTime?: unknown;
  UpdateTime?: unknown;
  [member: string]: unknown;
}

/** A comment inside a Request's `Comments` property (a JSON string of `{"Comment": [...]}`). */
export interface EmbeddedCommentJson {
  CommentId?: unknown;
  CommentBody?: unknown;
  PrivacyType?: unknown;
  /** `"Person/<id>"`, unlike the collaboration API's `{"UserId": "<id>"}`. */
  Submitter?: unknown;
  FunctionalPurpose?: unknown;
  CreateTime?: unknown;
  [member: string]: unknown;
}

/** Members of one entry of a Request's `RequestAttachments` property. Unknown members are kept on rewrite. */
export interface RequestAttachmentProperties {
  id?: unknown;
  file_name?: unknown;
  /** Older entries carry the file name here instead of under `file_name`. */
  name?: unknown;
  file_extension?: unknown;
  size?: unknown;
  mime_type?: unknown;
  /** The uploader's Person `ExternalId` (Waldur), or a Person Id on some tenants. */
  Creator?: unknown;
  LastUpdateTime?: unknown;
  /** True for images pasted into the description editor. */
  IsHidden?: unknown;
  [member: string]: unknown;
}

export interface RequestAttachmentEntry {
  properties: RequestAttachmentProperties;
  [member: string]: unknown;
}

/** Response of `POST ces/attachment` describing the stored file. */
export interface SmaxUploadJson {
  guid?: unknown;
  /** `frs/file-list` variants return `id` instead of `guid`. */
  id?: unknown;
  name?: unknown;
  contentLength?: unknown;
  contentType?: unknown;
  lastModified?: unknown;
  success?: unknown;
  [member: string]: unknown;
}
