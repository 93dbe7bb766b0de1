import { formatUuid } from '../../src/common/http/uuid';
import { SETTING_KEYS } from '../../src/settings/settings.registry';
import { SettingsService } from '../../src/settings/settings.service';
import { Attachment } from '../../src/support/attachments/attachment.entity';
import { startFakeJira, type FakeJira } from '../fakes/jira';
import { binaryBody } from '../support/binary-body';
import { UserWithToken } from '../support/factories';
import { configureJira, fileIssue, JiraSyncWorld, localIssue, settle, startJiraSyncWorld, visibleComments, WEBHOOK_SECRET } from '../support/jira-sync-app';

describe.each(['cloud', 'datacenter'] as const)('Jira files of internal comments on %s', (flavour) => {
  let world: JiraSyncWorld;
  let fake: FakeJira;

  beforeAll(async () => {
    world = await startJiraSyncWorld();
    fake = await startFakeJira({ flavour, webhookRetryDelaysMs: [20, 40, 80], webhookSecondaryDelayMs: 0, webhookTimeoutMs: 2_000 });
  });

  afterAll(async () => {
    await fake.close();
    await world.testApp.close();
  });

  beforeEach(async () => {
    fake.reset();
    await world.testApp.dataSource.query('TRUNCATE attachments, comments, feedbacks, issues, sync_outbox, sync_inbox, sync_watermarks, sync_remote_versions RESTART IDENTITY CASCADE');
    await world.testApp.dataSource.query("DELETE FROM support_users WHERE backend_name = 'atlassian'");
    await configureJira(world, fake);
    fake.registerWebhook({ url: `${world.appUrl}/api/support-jira-webhook/`, secret: WEBHOOK_SECRET });
  });

  afterEach(async () => {
    await world.testApp.app.get(SettingsService).update(Object.fromEntries(SETTING_KEYS.map((key) => [key, null])));
  });

  async function fileNamesFor(viewer: UserWithToken, issueUuid: string): Promise<string[]> {
    const response = await world.testApp.http().get('/api/support-attachments/').query({ issue_uuid: issueUuid }).set('Authorization', viewer.auth).expect(200);
    return (response.body as Array<{ file_name: string }>).map((file) => file.file_name).sort();
  }

  async function storedFile(issueUuid: string, fileName: string): Promise<Attachment> {
    const issue = (await localIssue(world, issueUuid))!;
    return world.testApp.dataSource.getRepository(Attachment).findOneByOrFail({ issueId: issue.id, fileName });
  }

  function upload(viewer: UserWithToken, issueUuid: string, fileName: string, content: string) {
    return world.testApp
      .http()
      .post('/api/support-attachments/')
      .set('Authorization', viewer.auth)
      .field('issue', `http://127.0.0.1/api/support-issues/${issueUuid}/`)
      .attach('file', Buffer.from(content), { filename: fileName, contentType: 'text/plain' })
      .expect(201);
  }

  function comment(viewer: UserWithToken, issueUuid: string, description: string, isPublic: boolean) {
    return world.testApp.http().post(`/api/support-issues/${issueUuid}/comment/`).set('Authorization', viewer.auth).send({ description, is_public: isPublic }).expect(201);
  }

  it('hides a file an internal comment links', async () => {
    const created = await fileIssue(world);
    await settle(world, fake);

    fake.attach({ issue: 'SUP-1', filename: 'dump.log', content: 'agents only', mimeType: 'text/plain' });
    fake.comment({ issue: 'SUP-1', body: 'Raw dump: [^dump.log]', internal: true });
    await settle(world, fake);

    expect(await fileNamesFor(world.caller, created.uuid)).toEqual([]);
    expect(await fileNamesFor(world.staff, created.uuid)).toEqual(['dump.log']);
    expect(await fileNamesFor(world.support, created.uuid)).toEqual(['dump.log']);
  });

  it('answers 404 to the caller for a hidden file', async () => {
    const created = await fileIssue(world);
    await settle(world, fake);
    fake.attach({ issue: 'SUP-1', filename: 'shot.png', content: 'png bytes', mimeType: 'image/png' });
    fake.comment({ issue: 'SUP-1', body: 'Console:\n!shot.png|thumbnail!', internal: true });
    await settle(world, fake);
    const shot = await storedFile(created.uuid, 'shot.png');

    await world.testApp.http().get(`/api/support-attachments/${formatUuid(shot.uuid)}/`).set('Authorization', world.caller.auth).expect(404);
    await world.testApp.http().get(`/api/support-attachments/${formatUuid(shot.uuid)}/download/`).set('Authorization', world.caller.auth).expect(404);
    const download = await world.testApp
      .http()
      .get(`/api/support-attachments/${formatUuid(shot.uuid)}/download/`)
      .set('Authorization', world.support.auth)
      .buffer(true)
      .parse(binaryBody)
      .expect(200);
    expect((download.body as Buffer).toString('utf8')).toBe('png bytes');
  });

  it('shows a file a public comment embeds', async () => {
    const created = await fileIssue(world);
    await settle(world, fake);

    fake.attach({ issue: 'SUP-1', filename: 'howto.png', content: 'png bytes', mimeType: 'image/png' });
    fake.comment({ issue: 'SUP-1', body: 'Click here:\n!howto.png|thumbnail!' });
    await settle(world, fake);

    expect((await storedFile(created.uuid, 'howto.png')).commentId).not.toBeNull();
    expect(await fileNamesFor(world.caller, created.uuid)).toEqual(['howto.png']);
  });

  it('keeps the caller file that an agent note names', async () => {
    const created = await fileIssue(world);
    await upload(world.caller, created.uuid, 'mine.txt', 'my log');
    await settle(world, fake);

    fake.comment({ issue: 'SUP-1', body: 'Their log [^mine.txt] shows the bug.', internal: true });
    await settle(world, fake);

    expect(await visibleComments(world, world.staff, created.uuid)).toEqual(['Their log [^mine.txt] shows the bug.']);
    expect(await fileNamesFor(world.caller, created.uuid)).toEqual(['mine.txt']);
  });

  it('hides a staff upload that an internal comment names', async () => {
    const created = await fileIssue(world);
    await upload(world.staff, created.uuid, 'notes.txt', 'internal notes');
    await comment(world.staff, created.uuid, 'Team notes:\n[^notes.txt]', false);

    await settle(world, fake);

    expect(await fileNamesFor(world.caller, created.uuid)).toEqual([]);
    expect(await fileNamesFor(world.staff, created.uuid)).toEqual(['notes.txt']);
  });
});
