import { createHash } from 'node:crypto';

import type { FakeJira } from '../../fakes/jira';
import { ExpectedAttachment, ExpectedComment, SoakIssueState } from './jira-soak-driver';
import type { SoakApi } from './soak-api';

/** What a soak run expects: the issues it filed, the comments and files it added, and each issue's planned final status. */
export interface SoakExpectation {
  issues: SoakIssueState[];
  summaries: string[];
  finalStatus: string[];
  comments: ExpectedComment[];
  attachments: ExpectedAttachment[];
}

/** Counts of one side of the sync. */
export interface SideCounts {
  issues: number;
  comments: number;
  internalComments: number;
  attachments: number;
}

export interface SoakComparison {
  ours: SideCounts;
  jira: SideCounts;
  expected: SideCounts;
  mismatches: string[];
}

/** Our issue, comment and attachment as staff see them through the API. */
interface LocalIssue {
  uuid: string;
  key: string;
  backend_id: string | null;
  status: string;
  resolution: string | null;
  resolved: boolean | null;
}
interface LocalComment {
  issue: string;
  description: string;
  is_public: boolean;
  backend_id: string | null;
}
interface LocalAttachment {
  issue: string;
  file_name: string;
  file_size: number;
  backend_id: string;
  file: string | null;
}

/** How our `resolved` follows Jira's status: Jira's done statuses resolve, "Cancelled" cancels, the rest are open. */
const RESOLVED_BY_STATUS: Record<string, boolean | null> = { Open: null, 'In Progress': null, Resolved: true, Closed: true, Cancelled: false };

const nfc = (text: string) => text.normalize('NFC');
const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');
const uuidOfIssueUrl = (url: string) => /\/support-issues\/([0-9a-f]{32})\/?$/.exec(url)?.[1] ?? url;

/**
 * Compares both sides exactly against what the run did. Each issue is once on each side,
 * linked to each other, with the right status and `resolved` flag. Each comment is once
 * on each side with its text and visibility, and each file once with its bytes. Our side
 * is read through the API as staff, Jira's side from the fake's store.
 */
export async function compareSides(staff: SoakApi, fake: FakeJira, expected: SoakExpectation): Promise<SoakComparison> {
  const mismatches: string[] = [];
  const localIssues = await staff.list<LocalIssue>('/api/support-issues/');
  const localComments = await staff.list<LocalComment>('/api/support-comments/');
  const localAttachments = await staff.list<LocalAttachment>('/api/support-attachments/');
  const jiraIssues = fake.issueRecords();

  const localByUuid = groupBy(localIssues, (issue) => issue.uuid);
  const markers = jiraIssues.flatMap((record) => record.labels.filter((label) => label.startsWith('deskbridge-')).map((label) => ({ label, record })));
  const jiraByLabel = groupBy(markers, (marker) => marker.label.slice('deskbridge-'.length));
  const matchedJiraIds = new Set<string>();
  const commentsByIssue = groupBy(localComments, (comment) => uuidOfIssueUrl(comment.issue));
  const attachmentsByIssue = groupBy(localAttachments, (attachment) => uuidOfIssueUrl(attachment.issue));
  const expectedComments = groupBy(expected.comments, (comment) => String(comment.issue));
  const expectedAttachments = groupBy(expected.attachments, (attachment) => String(attachment.issue));

  for (const [index, state] of expected.issues.entries()) {
    const name = `issue ${index} (${state.uuid ?? 'not created'}${state.key ? `, ${state.key}` : ''})`;
    if (!state.uuid) continue;
    const locals = localByUuid.get(state.uuid) ?? [];
    if (locals.length !== 1) {
      mismatches.push(`${name}: found ${locals.length} times on our side`);
      continue;
    }
    const local = locals[0];
    const linked = jiraByLabel.get(state.uuid) ?? [];
    if (linked.length !== 1) mismatches.push(`${name}: ${linked.length} Jira issues carry its marker label (${linked.map((marker) => marker.record.key).join(', ')})`);
    const jira = jiraIssues.find((record) => record.id === local.backend_id);
    if (!jira) {
      mismatches.push(`${name}: our backend_id ${local.backend_id ?? 'null'} names no Jira issue`);
      continue;
    }
    matchedJiraIds.add(jira.id);
    if (local.key !== jira.key) mismatches.push(`${name}: our key is "${local.key}", Jira's is ${jira.key}`);

    const fields = (fake.renderedIssue(jira.key) as { fields: { status: { name: string }; resolution: { name: string } | null } }).fields;
    const jiraStatus = fields.status.name;
    if (jiraStatus !== expected.finalStatus[index]) mismatches.push(`${name}: Jira shows status ${jiraStatus}, the run's transitions end in ${expected.finalStatus[index]}`);
    if (local.status !== jiraStatus) mismatches.push(`${name}: our status is "${local.status}", Jira's is "${jiraStatus}"`);
    if ((local.resolution ?? '') !== (fields.resolution?.name ?? '')) {
      mismatches.push(`${name}: our resolution is "${local.resolution ?? ''}", Jira's is "${fields.resolution?.name ?? ''}"`);
    }
    const resolved = RESOLVED_BY_STATUS[jiraStatus];
    if (local.resolved !== resolved) mismatches.push(`${name}: resolved is ${String(local.resolved)}, expected ${String(resolved)} for status ${jiraStatus}`);

    compareComments(name, expectedComments.get(String(index)) ?? [], commentsByIssue.get(state.uuid) ?? [], fake, jira.key, mismatches);
    await compareAttachments(name, expectedAttachments.get(String(index)) ?? [], attachmentsByIssue.get(state.uuid) ?? [], fake, jira.key, staff, mismatches);
  }

  const created = new Set(expected.issues.map((state) => state.uuid).filter(Boolean));
  for (const record of jiraIssues.filter((candidate) => !matchedJiraIds.has(candidate.id))) {
    const twin = expected.summaries.findIndex((summary) => record.summary.includes(summary));
    mismatches.push(`Jira issue ${record.key} belongs to no issue of ours${twin >= 0 ? `; its summary is that of issue ${twin}, so it is a duplicate` : ''}`);
  }
  for (const local of localIssues.filter((issue) => !created.has(issue.uuid))) mismatches.push(`our issue ${local.uuid} (${local.key}) was not filed by the run`);

  const jiraComments = jiraIssues.flatMap((record) => fake.commentRecords(record.id));
  return {
    ours: {
      issues: localIssues.length,
      comments: localComments.length,
      internalComments: localComments.filter((comment) => !comment.is_public).length,
      attachments: localAttachments.length,
    },
    jira: {
      issues: jiraIssues.length,
      comments: jiraComments.length,
      internalComments: jiraComments.filter((comment) => !isPublicInJira(comment.properties)).length,
      attachments: jiraIssues.reduce((sum, record) => sum + fake.attachmentRecords(record.id).length, 0),
    },
    expected: {
      issues: created.size,
      comments: expected.comments.length,
      internalComments: expected.comments.filter((comment) => !comment.isPublic).length,
      attachments: expected.attachments.length,
    },
    mismatches,
  };
}

function compareComments(name: string, expected: ExpectedComment[], locals: LocalComment[], fake: FakeJira, key: string, mismatches: string[]): void {
  const remote = fake.commentRecords(key);
  const remoteIds = new Set(remote.map((comment) => comment.id));
  const localByText = groupBy(locals, (comment) => comment.description);
  const remoteByText = groupBy(remote, (comment) => stripAuthor(comment.body));
  const expectedTexts = new Set(expected.map((comment) => comment.text));

  for (const comment of expected) {
    const visibility = comment.isPublic ? 'public' : 'internal';
    const ours = localByText.get(comment.text) ?? [];
    if (ours.length !== 1) mismatches.push(`${name}: ${comment.origin} comment "${comment.text}" is on our side ${ours.length} times`);
    for (const row of ours) {
      if (row.is_public !== comment.isPublic) mismatches.push(`${name}: comment "${comment.text}" is ${row.is_public ? 'public' : 'internal'} on our side, expected ${visibility}`);
      if (!row.backend_id || !remoteIds.has(row.backend_id)) mismatches.push(`${name}: our comment "${comment.text}" links to Jira comment ${row.backend_id ?? 'null'}, which is not on ${key}`);
    }
    const theirs = remoteByText.get(comment.text) ?? [];
    if (theirs.length !== 1) mismatches.push(`${name}: ${comment.origin} comment "${comment.text}" is in Jira ${theirs.length} times`);
    for (const record of theirs) {
      if (isPublicInJira(record.properties) !== comment.isPublic) mismatches.push(`${name}: comment "${comment.text}" has the wrong visibility in Jira, expected ${visibility}`);
      if (comment.origin === 'local' && record.body !== `[${comment.authorName}]: ${comment.text}`) {
        mismatches.push(`${name}: Jira comment ${record.id} reads "${record.body}", expected the author prefix [${comment.authorName}]`);
      }
    }
  }
  for (const row of locals.filter((comment) => !expectedTexts.has(comment.description))) mismatches.push(`${name}: unexpected comment on our side: "${row.description}"`);
  for (const record of remote.filter((comment) => !expectedTexts.has(stripAuthor(comment.body)))) mismatches.push(`${name}: unexpected comment in Jira: "${record.body}"`);
}

async function compareAttachments(
  name: string,
  expected: ExpectedAttachment[],
  locals: LocalAttachment[],
  fake: FakeJira,
  key: string,
  staff: SoakApi,
  mismatches: string[],
): Promise<void> {
  const remote = fake.attachmentRecords(key);
  const remoteIds = new Set(remote.map((attachment) => attachment.id));
  const localByName = groupBy(locals, (attachment) => nfc(attachment.file_name));
  const remoteByName = groupBy(remote, (attachment) => nfc(attachment.filename));
  const expectedNames = new Set(expected.map((attachment) => nfc(attachment.fileName)));

  for (const file of expected) {
    const ours = localByName.get(nfc(file.fileName)) ?? [];
    if (ours.length !== 1) mismatches.push(`${name}: ${file.origin} file ${file.fileName} is on our side ${ours.length} times`);
    for (const row of ours) {
      if (!row.backend_id || !remoteIds.has(row.backend_id)) mismatches.push(`${name}: our file ${file.fileName} links to Jira attachment "${row.backend_id}", which is not on ${key}`);
      if (!row.file) {
        mismatches.push(`${name}: our file ${file.fileName} has no download link`);
        continue;
      }
      const content = await staff.download(row.file);
      if (sha256(content) !== file.sha256) mismatches.push(`${name}: our copy of ${file.fileName} differs (${content.length} bytes, expected ${file.size})`);
    }
    const theirs = remoteByName.get(nfc(file.fileName)) ?? [];
    if (theirs.length !== 1) mismatches.push(`${name}: ${file.origin} file ${file.fileName} is in Jira ${theirs.length} times`);
    for (const record of theirs) {
      if (sha256(record.content) !== file.sha256) mismatches.push(`${name}: Jira's copy of ${file.fileName} differs (${record.content.length} bytes, expected ${file.size})`);
    }
  }
  for (const row of locals.filter((attachment) => !expectedNames.has(nfc(attachment.file_name)))) mismatches.push(`${name}: unexpected file on our side: ${row.file_name}`);
  for (const record of remote.filter((attachment) => !expectedNames.has(nfc(attachment.filename)))) mismatches.push(`${name}: unexpected file in Jira: ${record.filename}`);
}

/** Tells whether a Jira comment is public: it is unless its `sd.public.comment` property marks it internal. */
function isPublicInJira(properties: Record<string, unknown>): boolean {
  return (properties['sd.public.comment'] as { internal?: boolean } | undefined)?.internal !== true;
}

function stripAuthor(body: string): string {
  return body.replace(/^\[[^\]\n]*?\]:\s/, '');
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
