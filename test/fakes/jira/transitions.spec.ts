import type { FakeJira } from './server';
import { call, createIssue, startTestFake } from './spec-helpers';

const JIRA_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/;

describe('fake Jira transitions', () => {
  let fake: FakeJira;

  beforeAll(async () => {
    fake = await startTestFake();
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(() => {
    fake.reset();
  });

  async function transition(key: string, body: unknown) {
    return call(fake.url, `/rest/api/2/issue/${key}/transitions`, { method: 'POST', body });
  }

  it('lists transitions from the current status', async () => {
    const key = await createIssue(fake);
    const result = await call(fake.url, `/rest/api/2/issue/${key}/transitions?expand=transitions.fields`);
    expect(result.status).toBe(200);
    expect(result.json.expand).toBe('transitions');
    const byId = Object.fromEntries(result.json.transitions.map((t: { id: string }) => [t.id, t]));
    expect(Object.keys(byId).sort()).toEqual(['11', '21', '31']);
    expect(byId['11']).toMatchObject({ name: 'Start progress', hasScreen: false, to: { name: 'In Progress', statusCategory: { key: 'indeterminate' } } });
    expect(byId['21'].fields.resolution.required).toBe(true);
    expect(byId['21'].to.statusCategory.key).toBe('done');
  });

  it('moves the status', async () => {
    const key = await createIssue(fake);
    const result = await transition(key, { transition: { id: '11' } });
    expect(result.status).toBe(204);
    const issue = await call(fake.url, `/rest/api/2/issue/${key}?fields=status,resolution`);
    expect(issue.json.fields.status.name).toBe('In Progress');
    expect(issue.json.fields.resolution).toBeNull();
  });

  it('requires a resolution on resolve', async () => {
    const key = await createIssue(fake);
    const result = await transition(key, { transition: { id: '21' } });
    expect(result.status).toBe(400);
    expect(result.json.errors.resolution).toBe('Resolution is required.');
  });

  it('sets resolution and resolution date', async () => {
    const key = await createIssue(fake);
    const result = await transition(key, {
      transition: { id: '21' },
      fields: { resolution: { name: 'Done' } },
      update: { comment: [{ add: { body: 'Fixed by restarting the gateway.' } }] },
    });
    expect(result.status).toBe(204);
    const issue = await call(fake.url, `/rest/api/2/issue/${key}?fields=status,resolution,resolutiondate,comment`);
    const fields = issue.json.fields;
    expect(fields.status).toMatchObject({ name: 'Resolved', statusCategory: { key: 'done' } });
    expect(fields.resolution).toMatchObject({ id: '10000', name: 'Done' });
    expect(fields.resolution.self).toContain('/rest/api/2/resolution/10000');
    expect(fields.resolutiondate).toMatch(JIRA_TIMESTAMP);
    expect(fields.comment.comments[0].body).toBe('Fixed by restarting the gateway.');
  });

  it('clears the resolution on reopen', async () => {
    const key = await createIssue(fake);
    await transition(key, { transition: { id: '21' }, fields: { resolution: { name: 'Duplicate' } } });
    const reopen = await transition(key, { transition: { id: '61' } });
    expect(reopen.status).toBe(204);
    const issue = await call(fake.url, `/rest/api/2/issue/${key}?fields=status,resolution,resolutiondate`);
    expect(issue.json.fields).toMatchObject({ resolution: null, resolutiondate: null, status: { name: 'Open' } });
  });

  it("sets Won't Do on cancel", async () => {
    const key = await createIssue(fake);
    await transition(key, { transition: { id: '31' } });
    const issue = await call(fake.url, `/rest/api/2/issue/${key}?fields=status,resolution`);
    expect(issue.json.fields.status.name).toBe('Cancelled');
    expect(issue.json.fields.resolution.name).toBe("Won't Do");
  });

  it('rejects a transition from another status', async () => {
    const key = await createIssue(fake);
    const result = await transition(key, { transition: { id: '51' } });
    expect(result.status).toBe(400);
    expect(result.json).toEqual({ errorMessages: ["Transition id '51' is not valid for this issue."], errors: {} });
  });

  it('rejects a non-numeric transition id', async () => {
    const key = await createIssue(fake);
    const result = await transition(key, { transition: { id: 'close' } });
    expect(result.status).toBe(400);
    expect(result.json.errorMessages).toEqual(["'transition' identifier must be an integer"]);
  });

  it('uses other ids in another project', async () => {
    const created = await call(fake.url, '/rest/api/2/issue', { method: 'POST', body: { fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 'Patch' } } });
    const result = await call(fake.url, `/rest/api/2/issue/${created.json.key}/transitions`);
    const progress = result.json.transitions.find((t: { to: { name: string } }) => t.to.name === 'In Progress');
    expect(progress.id).toBe('711');
    expect(progress.to.id).not.toBe('3');
  });
});
