import { EntityManager, IsNull } from 'typeorm';

import { Comment } from '../comments/comment.entity';
import { Attachment } from './attachment.entity';

/** `!name!` and `!name|options!`. The lookahead lets one `!` close a match and open the next. */
const EMBEDDED_FILE = /!(?=([^!\n|]+)(?:\|[^!\n]*)?!)/g;

/** `[^name]` and `[title|^name]`. */
const FILE_LINK = /\[(?:[^\]\n|]*\|)?\^([^\]\n]+)\]/g;

/**
 * Collects the file names that Jira wiki markup in `text` refers to: embedded images and
 * files (`!name!`, `!name|thumbnail!`) and attachment links (`[^name]`, `[title|^name]`).
 * Jira agents reference the files of a comment this way, and HomePort writes the same markup
 * into the comment it posts after an upload, whatever the backend. Names are NFC-normalized.
 * Text that is not a reference (`Done! Thanks!`) yields names that match no file.
 */
export function referencedFileNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(EMBEDDED_FILE)) names.add(match[1].normalize('NFC'));
  for (const match of text.matchAll(FILE_LINK)) names.add(match[1].normalize('NFC'));
  return names;
}

/**
 * Links each attachment of the issue that has no comment yet to the comment it came with:
 * the earliest comment of the issue whose text references the file by name (see
 * `referencedFileNames`) and whose author also uploaded the file. Authors are the same when
 * they are one support user or support users of one user. Requiring the uploader keeps a
 * customer's file visible to the customer when an agent mentions it in an internal note.
 * Links already set are never changed. Returns the number of files linked.
 */
export async function linkFilesReferencedByComments(manager: EntityManager, issueId: number): Promise<number> {
  // NOTE: two files of the same name by the same author both link to the first comment that
  // names them, because the markup names files, not attachment ids.
  const files = await manager.find(Attachment, { where: { issueId, commentId: IsNull() }, relations: { author: true }, order: { id: 'ASC' } });
  const uploaded = files.filter((file) => file.authorId !== null);
  if (uploaded.length === 0) return 0;

  const comments = await manager.find(Comment, { where: { issueId }, relations: { author: true }, order: { created: 'ASC', id: 'ASC' } });
  const references = comments
    .map((comment) => ({ comment, names: referencedFileNames(comment.description) }))
    .filter((reference) => reference.names.size > 0);
  if (references.length === 0) return 0;

  let linked = 0;
  for (const file of uploaded) {
    const name = file.fileName.normalize('NFC');
    const source = references.find(({ comment, names }) => names.has(name) && sameAuthor(file, comment));
    if (!source) continue;
    const updated = await manager.update(Attachment, { id: file.id, commentId: IsNull() }, { commentId: source.comment.id });
    linked += updated.affected ?? 0;
  }
  return linked;
}

function sameAuthor(file: Attachment, comment: Comment): boolean {
  if (file.authorId === comment.authorId) return true;
  const userId = file.author?.userId ?? null;
  return userId !== null && userId === comment.author?.userId;
}
