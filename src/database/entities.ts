import { Customer } from '../identity/customers/customer.entity';
import { Project } from '../identity/projects/project.entity';
import { RoleGrant } from '../identity/roles/role-grant.entity';
import { AuthToken } from '../identity/tokens/auth-token.entity';
import { User } from '../identity/users/user.entity';
import { Setting } from '../settings/setting.entity';
import { SigningKey } from '../settings/signing-key.entity';
import { Attachment } from '../support/attachments/attachment.entity';
import { Comment } from '../support/comments/comment.entity';
import { Feedback } from '../support/feedback/feedback.entity';
import { Issue } from '../support/issues/issue.entity';
import { Priority } from '../support/priorities/priority.entity';
import { RequestType } from '../support/request-types/request-type.entity';
import { Resource } from '../support/resources/resource.entity';
import { IssueStatus } from '../support/statuses/issue-status.entity';
import { SupportUser } from '../support/support-users/support-user.entity';
import { EchoRecord } from '../support/sync/echo/echo-record.entity';
import { InboxEntry } from '../support/sync/inbox/inbox-entry.entity';
import { RemoteVersion } from '../support/sync/inbox/remote-version.entity';
import { JobRun } from '../support/sync/jobs/job-run.entity';
import { OutboxEntry } from '../support/sync/outbox/outbox-entry.entity';
import { SyncWatermark } from '../support/sync/pull/sync-watermark.entity';
import { TemplateAttachment } from '../support/templates/template-attachment.entity';
import { Template } from '../support/templates/template.entity';

/** Every TypeORM entity of the app, listed once for the app, the CLI and `ormconfig.ts`. */
export const ENTITIES: Function[] = [
  User,
  Customer,
  Project,
  RoleGrant,
  AuthToken,
  Setting,
  SigningKey,
  SupportUser,
  IssueStatus,
  Priority,
  Resource,
  Template,
  TemplateAttachment,
  RequestType,
  Issue,
  Comment,
  Attachment,
  Feedback,
  OutboxEntry,
  InboxEntry,
  RemoteVersion,
  EchoRecord,
  SyncWatermark,
  JobRun,
];
