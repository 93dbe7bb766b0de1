/** Property value as EMS sends it: ids are strings, times are epoch-millisecond numbers. */
export type EmsValue = string | number | boolean | null;

export type EmsProperties = Record<string, EmsValue>;

/** One record in an EMS query envelope or bulk result. */
export interface EmsEntity {
  entity_type: string;
  properties: EmsProperties;
  related_properties: Record<string, EmsProperties>;
}

/** The authenticated user on whose behalf a write is made. */
export interface Actor {
  login: string;
  personId: string;
}

/** Comment fields a client sends; members beyond these are kept as sent. */
export interface CommentFields {
  Body: string;
  PrivacyType: PrivacyType;
  Submitter: { UserId: string };
  [field: string]: unknown;
}

/** Comment as the collaboration API stores and returns it. */
export interface StoredComment extends CommentFields {
  Id: string;
  CreateTime: number;
  /** 0 until the comment is edited. */
  UpdateTime: number;
}

export const PRIVACY_TYPES = ['PUBLIC', 'INTERNAL', 'AGENTPUBLIC'] as const;
export type PrivacyType = (typeof PRIVACY_TYPES)[number];

/** File held by the file repository (`ces/attachment`, `frs/file-list`). */
export interface StoredFile {
  guid: string;
  name: string;
  contentType: string;
  content: Buffer;
  lastModified: number;
  creatorPersonId: string;
}

/** Link made by a bulk `relationships` CREATE, such as `RequestCausedByRequest`. */
export interface StoredRelationship {
  name: string;
  firstEndpoint: Record<string, string>;
  secondEndpoint: Record<string, string>;
}
