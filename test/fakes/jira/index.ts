export { startFakeJira, type FakeJira } from './server';
export type { FakeJiraOptions, FakeJiraSettings, Flavour, CommentEventStyle, AuthFailureBody } from './options';
export type {
  ActorOption,
  AgentAssignInput,
  AgentAttachInput,
  AgentCommentEditInput,
  AgentCommentInput,
  AgentEditInput,
  AgentTransitionInput,
  RuntimeSettings,
  WebhookTargetInput,
} from './control';
export type { RouteFaultInput } from './faults';
export type { Delivery, DeliveryAttempt, WebhookFaultInput, WebhookFaultKind } from './webhook-dispatcher';
export type { LoggedRequest } from './request-log';
export type { AttachmentRecord, CommentRecord, IssueRecord, WebhookRecord } from './records';
export {
  AGENT_EMAIL,
  AGENT_TOKEN,
  CUSTOMER_EMAIL,
  CUSTOMER_TOKEN,
  INTEGRATION_EMAIL,
  INTEGRATION_TOKEN,
  OAUTH_ACCESS_TOKEN,
  OAUTH_REFRESH_TOKEN,
  PERSONAL_ACCESS_TOKEN,
} from './seed';
