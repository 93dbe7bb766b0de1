/**
 * Webhook bodies built from change events, in the shapes of real captures.
 * Cloud issue events carry every field except `comment` and `worklog`.
 * Comment events carry only six issue fields, and on Data Center no issue at
 * all. `jira:issue_deleted` carries the whole issue as it was.
 */
import type { ChangeEvent, FakeJiraCore, WebhookFlow } from './core';
import { renderAttachment, renderComment } from './entity-views';
import { COMMENT_EVENT_FIELDS, renderAllFields } from './issue-view';
import type { ChangeHistory, CommentRecord, IssueRecord } from './records';
import type { ViewContext } from './view-context';

export interface WebhookPayload {
  webhookEvent: string;
  body: Record<string, unknown>;
  /** The issue the event is about, for JQL filters and URL placeholders. Null for link events. */
  issue: IssueRecord | null;
  flow: WebhookFlow;
  /** accountId or name of the user who made the change, for `${modifiedUser...}` placeholders. */
  modifiedUser: { name: string; accountId: string };
}

function issueObject(view: ViewContext, issue: IssueRecord, fields: Record<string, unknown>): Record<string, unknown> {
  return { id: issue.id, self: view.url(`/rest/api/2/issue/${issue.id}`), key: issue.key, fields };
}

function issueEventFields(view: ViewContext, issue: IssueRecord): Record<string, unknown> {
  const fields = renderAllFields(view, issue);
  if (view.isCloud) {
    delete fields.comment;
    delete fields.worklog;
  }
  return fields;
}

function commentEventFields(view: ViewContext, issue: IssueRecord): Record<string, unknown> {
  const all = renderAllFields(view, issue);
  return Object.fromEntries(COMMENT_EVENT_FIELDS.map((id) => [id, all[id] ?? null]));
}

/** Wraps wiki text in a minimal Atlassian Document Format document, one paragraph per line. */
function toAdf(text: string): Record<string, unknown> {
  return {
    type: 'doc',
    version: 1,
    content: text.split('\n').map((line) => ({ type: 'paragraph', content: line ? [{ type: 'text', text: line }] : [] })),
  };
}

function commentObject(view: ViewContext, comment: CommentRecord): Record<string, unknown> {
  const rendered = renderComment(view, comment);
  if (view.settings.webhookBodyFormat === 'adf') {
    rendered.body = toAdf(comment.body);
  }
  return rendered;
}

/** Data Center leaves `fieldId` out of custom-field changelog items. */
function renderChangelog(view: ViewContext, history: ChangeHistory): Record<string, unknown> {
  const items = view.isCloud
    ? history.items
    : history.items.map((item) => {
        if (item.fieldtype !== 'custom') {
          return item;
        }
        const { fieldId: _omitted, ...rest } = item;
        return rest;
      });
  return { id: history.id, items };
}

/** Builds the body of an event, or returns null for events Jira does not deliver to admin webhooks. */
export function buildWebhookPayload(core: FakeJiraCore, event: ChangeEvent): WebhookPayload | null {
  const view = core.view();
  const timestamp = core.now();
  const modifiedUser = { name: event.actor.name, accountId: event.actor.accountId };
  const user = view.user(event.actor);
  switch (event.kind) {
    case 'issue_created':
    case 'issue_updated': {
      const body: Record<string, unknown> = {
        timestamp,
        webhookEvent: `jira:${event.kind}`,
        issue_event_type_name: event.kind === 'issue_created' ? 'issue_created' : event.eventTypeName,
        user,
        issue: issueObject(view, event.issue, issueEventFields(view, event.issue)),
      };
      if (event.changelog) {
        body.changelog = renderChangelog(view, event.changelog);
      }
      if (event.kind === 'issue_updated' && event.comment) {
        body.comment = commentObject(view, event.comment);
      }
      return { webhookEvent: `jira:${event.kind}`, body, issue: event.issue, flow: 'Primary', modifiedUser };
    }
    case 'issue_deleted': {
      const body: Record<string, unknown> = {
        timestamp,
        webhookEvent: 'jira:issue_deleted',
        ...(view.isCloud ? {} : { issue_event_type_name: 'issue_deleted' }),
        user,
        issue: issueObject(view, event.issue, renderAllFields(view, event.issue)),
      };
      return { webhookEvent: 'jira:issue_deleted', body, issue: structuredClone(event.issue), flow: 'Primary', modifiedUser };
    }
    case 'comment_created':
    case 'comment_updated':
    case 'comment_deleted': {
      const body: Record<string, unknown> = { timestamp, webhookEvent: event.kind, comment: commentObject(view, event.comment) };
      if (view.isCloud) {
        body.issue = issueObject(view, event.issue, commentEventFields(view, event.issue));
      }
      return { webhookEvent: event.kind, body, issue: structuredClone(event.issue), flow: event.flow, modifiedUser };
    }
    case 'attachment_created':
    case 'attachment_deleted': {
      // NOTE: no real capture of attachment events was found, so the body follows the REST attachment shape.
      const body = { timestamp, webhookEvent: event.kind, attachment: renderAttachment(view, event.attachment) };
      return { webhookEvent: event.kind, body, issue: structuredClone(event.issue), flow: event.flow, modifiedUser };
    }
    case 'issuelink_created':
    case 'issuelink_deleted': {
      const type = core.store.linkTypes().find((candidate) => candidate.id === event.link.typeId);
      // NOTE: the issue link body follows Atlassian's published event list, not a captured delivery.
      const body = {
        timestamp,
        webhookEvent: event.kind,
        issueLink: {
          id: Number(event.link.id),
          sourceIssueId: Number(event.link.inwardIssueId),
          destinationIssueId: Number(event.link.outwardIssueId),
          issueLinkType: {
            id: Number(type?.id),
            name: type?.name,
            outwardName: type?.outward,
            inwardName: type?.inward,
            isSubTaskLinkType: false,
            isSystemLinkType: false,
          },
        },
      };
      return { webhookEvent: event.kind, body, issue: null, flow: 'Primary', modifiedUser };
    }
  }
}
