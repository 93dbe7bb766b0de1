/**
 * Records of the fake Zammad, shaped like the attributes Zammad's REST API v1 returns.
 * Field names and order follow captured Zammad 6.x payloads. Derived lists such as
 * `article_ids`, `user_ids` or `member_ids` are computed when a record is rendered.
 */

export type Timestamp = string;

export interface UserRecord {
  id: number;
  organization_id: number | null;
  login: string;
  firstname: string;
  lastname: string;
  email: string;
  image: string | null;
  image_source: string | null;
  web: string;
  phone: string;
  fax: string;
  mobile: string;
  department: string | null;
  street: string;
  zip: string;
  city: string;
  country: string;
  address: string | null;
  vip: boolean;
  verified: boolean;
  active: boolean;
  note: string;
  last_login: Timestamp | null;
  source: string | null;
  login_failed: number;
  out_of_office: boolean;
  out_of_office_start_at: Timestamp | null;
  out_of_office_end_at: Timestamp | null;
  out_of_office_replacement_id: number | null;
  preferences: Record<string, unknown>;
  updated_by_id: number;
  created_by_id: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  role_ids: number[];
  two_factor_preference_ids: number[];
  organization_ids: number[];
  authorization_ids: number[];
  overview_sorting_ids: number[];
  /** Group access lists keyed by group id, for example `{"1": ["full"]}`. */
  group_ids: Record<string, string[]>;
}

export interface OrganizationRecord {
  id: number;
  name: string;
  shared: boolean;
  domain: string;
  domain_assignment: boolean;
  active: boolean;
  note: string;
  vip: boolean;
  updated_by_id: number;
  created_by_id: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  secondary_member_ids: number[];
}

export interface GroupRecord {
  id: number;
  signature_id: number | null;
  email_address_id: number | null;
  name: string;
  name_last: string;
  parent_id: number | null;
  assignment_timeout: number | null;
  follow_up_possible: string;
  reopen_time_in_days: number | null;
  follow_up_assignment: boolean;
  active: boolean;
  shared_drafts: boolean;
  note: string;
  updated_by_id: number;
  created_by_id: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RoleRecord {
  id: number;
  name: string;
}

export interface StateTypeRecord {
  id: number;
  name: string;
}

export interface StateRecord {
  id: number;
  state_type_id: number;
  name: string;
  next_state_id: number | null;
  ignore_escalation: boolean;
  default_create: boolean;
  default_follow_up: boolean;
  note: string | null;
  active: boolean;
  updated_by_id: number;
  created_by_id: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PriorityRecord {
  id: number;
  name: string;
  default_create: boolean;
  ui_icon: string | null;
  ui_color: string | null;
  note: string | null;
  active: boolean;
  updated_by_id: number;
  created_by_id: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ArticleTypeRecord {
  id: number;
  name: string;
  /** Communication types (email, phone, ...) are sent to the customer; `note` is not. */
  communication: boolean;
}

export interface ArticleSenderRecord {
  id: number;
  name: 'Agent' | 'Customer' | 'System';
}

export interface TicketRecord {
  id: number;
  group_id: number;
  priority_id: number;
  state_id: number;
  organization_id: number | null;
  number: string;
  title: string;
  owner_id: number;
  customer_id: number;
  note: string | null;
  first_response_at: Timestamp | null;
  first_response_escalation_at: Timestamp | null;
  first_response_in_min: number | null;
  first_response_diff_in_min: number | null;
  close_at: Timestamp | null;
  close_escalation_at: Timestamp | null;
  close_in_min: number | null;
  close_diff_in_min: number | null;
  update_escalation_at: Timestamp | null;
  update_in_min: number | null;
  update_diff_in_min: number | null;
  last_close_at: Timestamp | null;
  last_contact_at: Timestamp | null;
  last_contact_agent_at: Timestamp | null;
  last_contact_customer_at: Timestamp | null;
  last_owner_update_at: Timestamp | null;
  create_article_type_id: number | null;
  create_article_sender_id: number | null;
  article_count: number;
  escalation_at: Timestamp | null;
  pending_time: Timestamp | null;
  type: string | null;
  time_unit: string | null;
  preferences: Record<string, unknown>;
  updated_by_id: number;
  created_by_id: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ArticleRecord {
  id: number;
  ticket_id: number;
  type_id: number;
  sender_id: number;
  from: string | null;
  to: string | null;
  cc: string | null;
  subject: string | null;
  reply_to: string | null;
  message_id: string | null;
  message_id_md5: string | null;
  in_reply_to: string | null;
  content_type: string;
  references: string | null;
  body: string;
  internal: boolean;
  preferences: Record<string, unknown>;
  updated_by_id: number;
  created_by_id: number;
  origin_by_id: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AttachmentRecord {
  id: number;
  article_id: number;
  filename: string;
  /** Stored bytes, returned unchanged by the download route. */
  data: Buffer;
  /** `Mime-Type` for API uploads, as Zammad stores them; `Content-Type` for UI uploads. */
  preferences: Record<string, string | boolean>;
}

export interface WebhookRecord {
  id: number;
  name: string;
  endpoint: string;
  signature_token: string | null;
  ssl_verify: boolean;
  basic_auth_username: string | null;
  basic_auth_password: string | null;
  note: string | null;
  active: boolean;
  pre_defined_webhook_type: string | null;
  customized_payload: boolean;
  custom_payload: string | null;
  preferences: Record<string, unknown>;
  updated_by_id: number;
  created_by_id: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** An e-mail that real Zammad would send for an agent's `email` article. */
export interface OutgoingEmail {
  articleId: number;
  ticketId: number;
  from: string | null;
  to: string | null;
  cc: string | null;
  subject: string | null;
  internal: boolean;
  queuedAt: Timestamp;
}

export type JsonObject = Record<string, unknown>;
