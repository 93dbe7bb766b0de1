/** Issue links: `POST /rest/api/2/issueLink` and its deletion. */
import { addComment } from './comment-operations';
import type { FakeJiraCore } from './core';
import { platformError } from './errors';
import { isRecord, type IssueLinkRecord, type IssueRecord } from './records';
import type { UserRecord } from './seed';

function linkedIssue(core: FakeJiraCore, reference: unknown, role: string): IssueRecord {
  const idOrKey = isRecord(reference) ? (reference.key ?? reference.id) : undefined;
  const issue = idOrKey === undefined ? undefined : core.store.findIssue(String(idOrKey));
  if (!issue) {
    throw platformError(404, [`Cannot find the ${role} issue: ${String(idOrKey)}.`]);
  }
  return issue;
}

/** Links two issues, optionally commenting on the inward one, and fires `issuelink_created`. */
export function createLink(core: FakeJiraCore, actor: UserRecord, body: unknown): IssueLinkRecord {
  if (!isRecord(body)) {
    throw platformError(400, ['The request body must be a JSON object.']);
  }
  const typeReference = isRecord(body.type) ? body.type : {};
  const type = core.store.linkTypes().find((candidate) => candidate.id === typeReference.id || candidate.name === typeReference.name);
  if (!type) {
    throw platformError(404, [`No issue link type with name '${String(typeReference.name ?? typeReference.id)}' found.`]);
  }
  const inward = linkedIssue(core, body.inwardIssue, 'inward');
  const outward = linkedIssue(core, body.outwardIssue, 'outward');
  const link: IssueLinkRecord = { id: core.store.linkIds.take(), typeId: type.id, inwardIssueId: inward.id, outwardIssueId: outward.id };
  core.store.links.set(link.id, link);
  core.touch(inward);
  core.touch(outward);
  if (isRecord(body.comment)) {
    addComment(core, actor, inward, body.comment as { body: unknown });
  }
  core.emit({ kind: 'issuelink_created', link, actor });
  return link;
}

export function linkOrThrow(core: FakeJiraCore, linkId: string): IssueLinkRecord {
  const link = core.store.links.get(linkId);
  if (!link) {
    throw platformError(404, [`No issue link with id '${linkId}' exists.`]);
  }
  return link;
}

export function deleteLink(core: FakeJiraCore, actor: UserRecord, link: IssueLinkRecord): void {
  core.store.links.delete(link.id);
  for (const issueId of [link.inwardIssueId, link.outwardIssueId]) {
    const issue = core.store.issues.get(issueId);
    if (issue) {
      core.touch(issue);
    }
  }
  core.emit({ kind: 'issuelink_deleted', link, actor });
}
