import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { EmsQueryResponse } from './ems-types';
import { mapAttachmentEntry, mapRequestAttachments, mapUpload, newAttachmentEntry, readAttachmentEntries, serializeAttachmentEntries } from './smax-attachment.mapper';
import { isPublicPrivacy, mapComment, mapComments, mapEmbeddedComments, toCommentBody } from './smax-comment.mapper';
import { comparableText, textToHtml, unescapeEmbeddedBody } from './smax-html';
import { epochMicrosToDate, epochMillisToDate } from './smax-values';
import { describeWithReference, findReference, mapRequest, toNewRequestProperties } from './smax.mapper';

const REPOSITORY_ROOT = join(__dirname, '..', '..', '..', '..');
/** The shared folder beside the repository; `DESKBRIDGE_SHARED_DIR` points elsewhere, e.g. from a git worktree. */
const SHARED_DIR = process.env.DESKBRIDGE_SHARED_DIR ?? join(REPOSITORY_ROOT, '..', 'shared');

/**
 * Reads the real EMS sample. As published it is not valid JSON: the file name inside
 * `RequestAttachments` carries a `\&` escape, which JSON does not have, so that one
 * character is removed before parsing.
 */
function readPublishedSample(): { text: string; body: EmsQueryResponse } {
  const text = readFileSync(join(SHARED_DIR, 'fixtures', 'smax', 'ems-query-request-attachments.from-code-comment.txt'), 'utf8');
  const repaired = text.replace('\\&', '&');
  return { text, body: JSON.parse(repaired) as EmsQueryResponse };
}

describe('SMAX mapper on the published EMS sample', () => {
  const { text, body } = readPublishedSample();
  const entity = body.entities![0];

  it('sample needs exactly one repair', () => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(text.split('\\&')).toHaveLength(2);
  });

  it('maps the request id and millisecond update time', () => {
    const request = mapRequest(entity);

    expect(request.id).toBe('189421');
    expect(request.version).toBe(1741194433900);
    expect(request.updatedAt?.toISOString()).toBe('2025-03-05T17:07:13.900Z');
  });

  it('leaves properties outside the layout undefined', () => {
    const request = mapRequest(entity);

    expect(request.summary).toBeUndefined();
    expect(request.descriptionHtml).toBeUndefined();
    expect(request.phase).toBeUndefined();
    expect(request.embeddedComments).toBeUndefined();
  });

  it('reads microsecond query_time beside millisecond LastUpdateTime', () => {
    const queryTime = epochMicrosToDate(body.meta!.query_time);
    const updated = epochMillisToDate(entity.properties!.LastUpdateTime);

    expect(queryTime?.toISOString()).toBe('2025-03-05T17:09:47.968Z');
    expect(queryTime!.getTime()).toBeGreaterThanOrEqual(updated!.getTime());
  });

  it('maps every attachment entry of the JSON string', () => {
    const attachments = mapRequestAttachments(entity.properties!.RequestAttachments)!;

    expect(attachments.map((attachment) => attachment.id)).toEqual([
      '915becab-b54d-4426-951d-8b9b2aee7a6d',
      '7a868354-e241-4f74-920f-706872e22d16',
      'a2c23c1e-e8a6-4301-b4f5-e6ae85b5fcff',
    ]);
  });

  it('reads file_name and the older name member', () => {
    const [pasted, pdf, png] = mapRequestAttachments(entity.properties!.RequestAttachments)!;

    expect(pasted.fileName).toBe('text-editor-img-Description-915becab-b54d-4426-951d-8b9b2aee7a6d');
    expect(pdf.fileName).toBe('AI & Loneliness - C1_C2 News Lesson.pdf');
    expect(png.fileName).toBe('Page1-1.png');
  });

  it('maps sizes, creators and times', () => {
    const [pasted, pdf, png] = mapRequestAttachments(entity.properties!.RequestAttachments)!;

    expect([pasted.size, pdf.size, png.size]).toEqual([124944, 519635, 166732]);
    expect([pasted.creator, pdf.creator, png.creator]).toEqual([undefined, '1031856', '1031856']);
    expect(pdf.updatedAt?.toISOString()).toBe('2025-03-05T17:05:06.907Z');
  });

  it('marks pasted description images hidden', () => {
    const [pasted, pdf, png] = mapRequestAttachments(entity.properties!.RequestAttachments)!;

    expect(pasted.hidden).toBe(true);
    expect(pdf.hidden).toBe(false);
    expect(png.hidden).toBe(false);
  });

  it('keeps full MIME types and replaces a bare "image"', () => {
    const [pasted, pdf, png] = mapRequestAttachments(entity.properties!.RequestAttachments)!;

    expect(pdf.mimeType).toBe('application/pdf');
    expect(png.mimeType).toBe('image/png');
    expect(pasted.mimeType).toBe('application/octet-stream');
  });

  it('keeps unknown entry members when rewriting the list', () => {
    const result = readAttachmentEntries(entity.properties!.RequestAttachments);
    if (!result.readable) throw new Error(result.reason);

    const rewritten = JSON.parse(serializeAttachmentEntries(result.entries)) as { complexTypeProperties: Array<{ properties: Record<string, unknown> }> };

    expect(rewritten.complexTypeProperties[0].properties).toMatchObject({ IsHidden: true, name: 'text-editor-img-Description-915becab-b54d-4426-951d-8b9b2aee7a6d' });
    expect(rewritten.complexTypeProperties).toHaveLength(3);
  });
});

describe('SMAX attachment mapper', () => {
  it('reports an unreadable list instead of an empty one', () => {
    expect(readAttachmentEntries('{"complexTypeProperties":')).toMatchObject({ readable: false });
    expect(readAttachmentEntries('{"other":[]}')).toMatchObject({ readable: false });
    expect(mapRequestAttachments('not json')).toBeUndefined();
  });

  it('reads an absent list as empty', () => {
    expect(mapRequestAttachments(undefined)).toEqual([]);
    expect(mapRequestAttachments('')).toEqual([]);
  });

  it('names an entry without names Unknown', () => {
    expect(mapAttachmentEntry({ properties: { id: 'g1', size: '12' } })).toMatchObject({ fileName: 'Unknown', size: 12 });
  });

  it('normalizes file names to NFC', () => {
    const decomposed = 'Re\u0301sume\u0301.pdf';

    expect(mapAttachmentEntry({ properties: { id: 'g1', file_name: decomposed } })?.fileName).toBe('R\u00e9sum\u00e9.pdf');
  });

  it('removes folders and line breaks from file names', () => {
    const entry = mapAttachmentEntry({ properties: { id: 'g1', file_name: '../../../etc/cron.d/x\r\nInjected: 1' } });

    expect(entry?.fileName).toBe('.._.._.._etc_cron.d_xInjected: 1');
  });

  it('builds the entry Waldur writes', () => {
    const entry = newAttachmentEntry({ guid: 'g1', name: 'отчёт.tar.gz', size: 5, contentType: 'application/gzip', lastModified: 1706696430000 }, 'EXT-1');

    expect(entry).toEqual({
      properties: {
        id: 'g1',
        file_name: 'отчёт.tar.gz',
        file_extension: 'gz',
        size: 5,
        mime_type: 'application/gzip',
        Creator: 'EXT-1',
        LastUpdateTime: 1706696430000,
      },
    });
  });

  it('reads upload answers with guid, id or a list', () => {
    const fallback = { name: 'a.txt', size: 3, contentType: 'text/plain' };

    expect(mapUpload({ guid: 'g1', name: 'a.txt', contentLength: 3, contentType: 'text/plain', lastModified: 7 }, fallback).guid).toBe('g1');
    expect(mapUpload({ id: 'g2' }, fallback)).toEqual({ guid: 'g2', name: 'a.txt', size: 3, contentType: 'text/plain', lastModified: undefined });
    expect(mapUpload([{ guid: 'g3', success: true }], fallback).guid).toBe('g3');
  });

  it('rejects upload answers without a file', () => {
    const fallback = { name: 'a.txt', size: 3, contentType: 'text/plain' };

    expect(() => mapUpload({ success: false, guid: 'g1' }, fallback)).toThrow('success: false');
    expect(() => mapUpload({ name: 'a.txt' }, fallback)).toThrow('no guid');
  });
});

describe('SMAX comment mapper', () => {
  it('maps a collaboration API comment', () => {
    const comment = mapComment({
      Id: 'c1',
      Body: '<p>Please restart the router.</p>',
      PrivacyType: 'PUBLIC',
      Submitter: { UserId: 10016 },
      FunctionalPurpose: 'EndUserComment',
      CreateTime: 1452751016929,
      UpdateTime: 0,
    });

    expect(comment).toEqual({
      id: 'c1',
      bodyHtml: '<p>Please restart the router.</p>',
      text: 'Please restart the router.',
      isPublic: true,
      privacyType: 'PUBLIC',
      submitterPersonId: '10016',
      isSystem: false,
      functionalPurpose: 'EndUserComment',
      createdAt: new Date(1452751016929),
      updatedAt: null,
      attachmentIds: [],
    });
  });

  it('serves a body with a script as plain text', () => {
    const comment = mapComment({ Id: 'c1', Body: '<p>Hi</p><script>alert(1)</script>' });

    expect(comment?.text).toBe('Hi');
    expect(comment?.bodyHtml).toBe('<p>Hi</p><script>alert(1)</script>');
  });

  it('keeps the line breaks of a body without markup', () => {
    expect(mapComment({ Id: 'c1', Body: 'First\r\nSecond' })?.text).toBe('First\nSecond');
  });

  it('reads the files a comment carries', () => {
    const comment = mapComment({ Id: 'c1', Body: '<p>x</p>', PrivacyType: 'INTERNAL', AttachmentIds: ['5c6a5b8e-1f1d-4a7e-9a38-3b8bcd2c1f0e', 17, null] });

    expect(comment?.attachmentIds).toEqual(['5c6a5b8e-1f1d-4a7e-9a38-3b8bcd2c1f0e', '17']);
  });

  it('reads a comment without a file list', () => {
    expect(mapComment({ Id: 'c1', Body: '<p>x</p>', AttachmentIds: 'not a list' })?.attachmentIds).toEqual([]);
  });

  it('treats only PUBLIC as public', () => {
    expect(isPublicPrivacy('PUBLIC')).toBe(true);
    expect(isPublicPrivacy('INTERNAL')).toBe(false);
    expect(isPublicPrivacy('AGENTPUBLIC')).toBe(false);
  });

  it('skips list items without an id', () => {
    expect(mapComments([{ Body: 'x' }, { Id: 'c2', Body: 'y' }, 'junk'])).toHaveLength(1);
    expect(mapComments({ not: 'a list' })).toEqual([]);
  });

  it('maps embedded comments with escaped bodies', () => {
    const value = JSON.stringify({
      Comment: [
        {
          CommentId: 'bae223e7-a1e6-4f73-90c3-fd92345c4d7e',
          CommentBody: '&lt;p&gt;Restarted &amp;amp; checked.&lt;/p&gt;',
          PrivacyType: 'INTERNAL',
          Submitter: 'Person/10016',
          CreateTime: 1452751016929,
        },
      ],
    });

    expect(mapEmbeddedComments(value)).toEqual([
      {
        id: 'bae223e7-a1e6-4f73-90c3-fd92345c4d7e',
        bodyHtml: '<p>Restarted &amp; checked.</p>',
        text: 'Restarted & checked.',
        isPublic: false,
        privacyType: 'INTERNAL',
        submitterPersonId: '10016',
        isSystem: false,
        functionalPurpose: undefined,
        createdAt: new Date(1452751016929),
        updatedAt: null,
        attachmentIds: [],
      },
    ]);
  });

  it('leaves unescaped embedded bodies as they are', () => {
    expect(unescapeEmbeddedBody('<p>a &lt;b&gt; c</p>')).toBe('<p>a &lt;b&gt; c</p>');
  });

  it('reads an absent embedded list as unknown', () => {
    expect(mapEmbeddedComments(undefined)).toBeUndefined();
    expect(mapEmbeddedComments('{"Comment":')).toBeUndefined();
  });

  it('builds the comment body Waldur sends', () => {
    expect(toCommentBody({ text: 'Line 1\nLine <2>', isPublic: false, submitterPersonId: '10016' })).toEqual({
      IsSystem: false,
      Body: '<p>Line 1<br>Line &lt;2&gt;</p>',
      PrivacyType: 'INTERNAL',
      ActualInterface: 'API',
      CommentFrom: 'User',
      FunctionalPurpose: 'EndUserComment',
      Submitter: { UserId: '10016' },
    });
  });

  it('leaves the submitter out when unknown', () => {
    expect(toCommentBody({ text: 'x', isPublic: true, submitterPersonId: undefined })).not.toHaveProperty('Submitter');
  });
});

describe('SMAX request mapper', () => {
  const uuid = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';

  it('converts text paragraphs and line breaks to HTML', () => {
    expect(textToHtml('First line\nsecond & last\n\nNew paragraph')).toBe('<p>First line<br>second &amp; last</p><p>New paragraph</p>');
    expect(textToHtml('  \n ')).toBe('');
  });

  it('compares HTML by visible text', () => {
    expect(comparableText('<p>a &amp; b</p><p>c<br/>d</p>')).toBe('a & b c d');
  });

  it('builds the create properties', () => {
    const properties = toNewRequestProperties({
      summary: 'x'.repeat(150),
      descriptionText: 'VPN\ndown',
      issueUuid: uuid,
      requestedByPersonId: '10016',
      categoryId: '20001',
      extraProperties: { RequestsOffering: '11234', OrganisationName_c: 'Example Org', Empty_c: '', '': 'ignored' },
    });

    expect(properties).toEqual({
      DisplayLabel: 'x'.repeat(140),
      Description: '<p>VPN<br>down</p><p>Deskbridge reference: 3f2a1b4c5d6e4f708a9b0c1d2e3f4a5b</p>',
      RequestedByPerson: '10016',
      CreationSource: 'CreationSourceExternal',
      Category: '20001',
      RequestsOffering: '11234',
      OrganisationName_c: 'Example Org',
    });
  });

  it('finds and strips the reference line', () => {
    const request = mapRequest({ properties: { Id: '50001', Description: describeWithReference('Hello', uuid), PhaseId: 'Log' } });

    expect(request.issueReference).toBe('3f2a1b4c5d6e4f708a9b0c1d2e3f4a5b');
    expect(request.descriptionHtml).toBe('<p>Hello</p>');
    expect(request.descriptionText).toBe('Hello');
  });

  it('serves an HTML description as plain text', () => {
    const request = mapRequest({ properties: { Id: '50001', Description: '<p>Disk <b>full</b></p><img src=x onerror="alert(1)">' } });

    expect(request.descriptionText).toBe('Disk full');
  });

  it('keeps a plain description as written', () => {
    const request = mapRequest({ properties: { Id: '50001', Description: 'Disk full\nsince 5 < 6 o\'clock' } });

    expect(request.descriptionText).toBe('Disk full\nsince 5 < 6 o\'clock');
  });

  it('finds a reference SMAX re-wrapped', () => {
    expect(findReference('<div>Deskbridge reference:&nbsp;3F2A1B4C5D6E4F708A9B0C1D2E3F4A5B</div>')).toBe('3f2a1b4c5d6e4f708a9b0c1d2e3f4a5b');
  });

  it('maps phase, status and epoch times', () => {
    const request = mapRequest({
      properties: {
        Id: 50001,
        DisplayLabel: 'VPN not reachable',
        PhaseId: 'Close',
        Status: 'RequestStatusComplete',
        RequestedByPerson: '10016',
        EmsCreationTime: 1706696430000,
        LastUpdateTime: '1706696431000',
      },
    });

    expect(request).toMatchObject({
      id: '50001',
      summary: 'VPN not reachable',
      phase: 'Close',
      smaxStatus: 'RequestStatusComplete',
      requestedByPersonId: '10016',
      createdAt: new Date(1706696430000),
      updatedAt: new Date(1706696431000),
      version: 1706696431000,
      attachments: [],
    });
  });

  it('rejects a request without an id', () => {
    expect(() => mapRequest({ properties: { DisplayLabel: 'x' } })).toThrow('no Id');
  });

  it('reads epoch zero as never', () => {
    expect(epochMillisToDate(0)).toBeNull();
    expect(epochMillisToDate('abc')).toBeNull();
  });
});
