/**
 * JSON shapes of Zammad's REST API v1, as far as this adapter reads them. Every field
 * the adapter does not need to exist is optional, because Zammad leaves out names
 * without `expand=true`, webhooks nest whole objects where the API has names, and
 * published payloads drop null fields. These types never leave this folder.
 */

/** A related record as Zammad may spell it: a name (`expand=true`), a nested object (webhooks) or nothing. */
export type ZammadReference = string | { id?: number; name?: string; login?: string; email?: string } | null | undefined;

export interface ZammadTicket {
  id: number;
  number?: string;
  title?: string;
  group_id?: number;
  state_id?: number;
  priority_id?: number;
  customer_id?: number;
  organization_id?: number | null;
  owner_id?: number;
  state?: ZammadReference;
  priority?: ZammadReference;
  group?: ZammadReference;
  customer?: ZammadReference;
  first_response_escalation_at?: string | null;
  close_at?: string | null;
  created_at?: string;
  updated_at?: string;
  article_ids?: number[];
  [key: string]: unknown;
}

export interface ZammadAttachment {
  id: number;
  filename: string;
  /** A string in Zammad's responses, such as `"19"`. */
  size?: string | number;
  preferences?: Record<string, unknown>;
  url?: string;
}

export interface ZammadArticle {
  id: number;
  ticket_id: number;
  body?: string | null;
  content_type?: string | null;
  internal?: boolean;
  type?: string;
  type_id?: number;
  sender?: string;
  sender_id?: number;
  from?: string | null;
  to?: string | null;
  subject?: string | null;
  created_by_id?: number;
  origin_by_id?: number | null;
  created_at?: string;
  updated_at?: string;
  attachments?: ZammadAttachment[];
  [key: string]: unknown;
}

export interface ZammadUser {
  id: number;
  login?: string;
  email?: string;
  firstname?: string;
  lastname?: string;
  active?: boolean;
  organization_id?: number | null;
  [key: string]: unknown;
}

export interface ZammadNamedRecord {
  id: number;
  name: string;
  active?: boolean;
  default_create?: boolean;
  [key: string]: unknown;
}

export interface ZammadOrganization extends ZammadNamedRecord {
  member_ids?: number[];
}

/** Body of the default trigger webhook: the ticket with nested objects and the triggering article. */
export interface ZammadWebhookPayload {
  ticket?: ZammadTicket | null;
  article?: Partial<ZammadArticle> | null;
  [key: string]: unknown;
}

export interface ZammadTicketCreate {
  title: string;
  group: string;
  customer_id: number | string;
  priority?: string;
  tags: string;
  article: ZammadArticleCreate;
}

export interface ZammadArticleCreate {
  ticket_id?: number;
  subject?: string;
  body: string;
  content_type: 'text/html' | 'text/plain';
  type: string;
  internal: boolean;
  to?: string;
  attachments?: Array<{ filename: string; data: string; 'mime-type': string }>;
}

export interface ZammadUserCreate {
  login: string;
  email: string;
  firstname: string;
  lastname: string;
  organization?: string;
}

/** A selector of `POST /tickets/search`, as triggers and overviews use it. */
export type ZammadCondition = Record<string, { operator: string; value: unknown }>;
