/** Attachment changes: an upload or a deletion fires `jira:issue_updated` with an `Attachment` changelog item and `attachment_*`. */
import type { FakeJiraCore } from './core';
import { platformError } from './errors';
import type { AttachmentRecord, ChangeItem, IssueRecord } from './records';
import type { UserRecord } from './seed';

export interface UploadedFile {
  filename: string;
  mimeType: string;
  content: Buffer;
}

function attachmentItem(attachment: AttachmentRecord, removed: boolean): ChangeItem {
  return {
    field: 'Attachment',
    fieldtype: 'jira',
    fieldId: 'attachment',
    from: removed ? attachment.id : null,
    fromString: removed ? attachment.filename : null,
    to: removed ? null : attachment.id,
    toString: removed ? null : attachment.filename,
  };
}

/** Stores uploaded files on an issue. One changelog entry covers the whole upload. */
export function addAttachments(core: FakeJiraCore, actor: UserRecord, issue: IssueRecord, files: UploadedFile[]): AttachmentRecord[] {
  const maxBytes = core.settings.attachmentMaxBytes;
  const tooLarge = files.find((file) => file.content.length > maxBytes);
  if (tooLarge) {
    throw platformError(413, [`The file '${tooLarge.filename}' is too large: ${tooLarge.content.length} bytes, the limit is ${maxBytes} bytes.`]);
  }
  const now = core.now();
  const created = files.map((file): AttachmentRecord => {
    const attachment: AttachmentRecord = {
      id: core.store.attachmentIds.take(),
      issueId: issue.id,
      filename: file.filename,
      authorId: actor.accountId,
      created: now,
      mimeType: file.mimeType,
      content: file.content,
    };
    core.store.attachments.set(attachment.id, attachment);
    return attachment;
  });
  core.touch(issue);
  const history = core.recordHistory(issue, actor, created.map((attachment) => attachmentItem(attachment, false)));
  core.emit({ kind: 'issue_updated', issue, actor, eventTypeName: 'issue_updated', changelog: history });
  for (const attachment of created) {
    core.emit({ kind: 'attachment_created', issue, attachment, actor, flow: 'Primary' });
  }
  return created;
}

export function attachmentOrThrow(core: FakeJiraCore, attachmentId: string): AttachmentRecord {
  const attachment = core.store.attachments.get(attachmentId);
  if (!attachment) {
    throw platformError(404, [`The attachment with id '${attachmentId}' does not exist`]);
  }
  return attachment;
}

export function deleteAttachment(core: FakeJiraCore, actor: UserRecord, attachment: AttachmentRecord): void {
  const issue = core.issueOrThrow(attachment.issueId);
  core.store.attachments.delete(attachment.id);
  core.touch(issue);
  const history = core.recordHistory(issue, actor, [attachmentItem(attachment, true)]);
  core.emit({ kind: 'issue_updated', issue, actor, eventTypeName: 'issue_updated', changelog: history });
  core.emit({ kind: 'attachment_deleted', issue, attachment, actor, flow: 'Primary' });
}
