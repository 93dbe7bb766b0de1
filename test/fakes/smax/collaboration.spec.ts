import { FakeSmax, startFakeSmax } from './fake-smax';
import { AGENT_USER } from './seed';
import { callSmax, createRequest, loginAs, query } from './smax-test-client';

interface CommentAnswer {
  Id: string;
  Body: string;
  PrivacyType: string;
  Submitter: { UserId: string };
  CreateTime: number;
  UpdateTime: number;
  [field: string]: unknown;
}

describe('fake SMAX collaboration comments', () => {
  let fake: FakeSmax;
  let token: string;
  let requestId: string;

  beforeAll(async () => {
    fake = await startFakeSmax();
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(async () => {
    fake.reset();
    token = await loginAs(fake);
    requestId = await createRequest(fake, token);
  });

  function waldurComment(body: string, privacy: string, userId = '10003') {
    return {
      IsSystem: false,
      Body: body,
      PrivacyType: privacy,
      Submitter: { UserId: userId },
      ActualInterface: 'API',
      CommentFrom: 'User',
      FunctionalPurpose: 'EndUserComment',
    };
  }

  async function postComment(payload: unknown, path = `/collaboration/comments/Request/${requestId}/`): Promise<Response> {
    return callSmax(fake, path, { method: 'POST', token, json: payload });
  }

  async function addComment(body: string, privacy: string): Promise<CommentAnswer> {
    const response = await postComment(waldurComment(body, privacy));
    expect(response.status).toBe(200);
    return (await response.json()) as CommentAnswer;
  }

  async function embeddedComments(): Promise<Array<Record<string, unknown>>> {
    const answer = await query(fake, token, `/ems/Request?layout=FULL_LAYOUT&filter=Id=${requestId}`);
    const text = answer.entities[0].properties.Comments;
    expect(typeof text).toBe('string');
    return (JSON.parse(text as string) as { Comment: Array<Record<string, unknown>> }).Comment;
  }

  it('stores a comment with server fields', async () => {
    const comment = await addComment('<p>Please restart the router.</p>', 'PUBLIC');

    expect(comment).toMatchObject({ ...waldurComment('<p>Please restart the router.</p>', 'PUBLIC'), UpdateTime: 0 });
    expect(comment.Id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(String(comment.CreateTime)).toHaveLength(13);
  });

  it('keeps public and internal comments apart', async () => {
    const shown = await addComment('<p>Visible</p>', 'PUBLIC');
    const hidden = await addComment('<p>Agents only</p>', 'INTERNAL');

    const response = await callSmax(fake, `/collaboration/comments/Request/${requestId}`, { token });
    const list = (await response.json()) as CommentAnswer[];

    expect(list.map((comment) => [comment.Id, comment.PrivacyType])).toEqual([
      [shown.Id, 'PUBLIC'],
      [hidden.Id, 'INTERNAL'],
    ]);
  });

  it('accepts AGENTPUBLIC', async () => {
    const comment = await addComment('<p>Agent public</p>', 'AGENTPUBLIC');

    expect(comment.PrivacyType).toBe('AGENTPUBLIC');
  });

  it('mirrors comments in the Request Comments string', async () => {
    const shown = await addComment('<p>Visible & clear</p>', 'PUBLIC');
    const hidden = await addComment('<p>Hidden</p>', 'INTERNAL');

    const embedded = await embeddedComments();

    expect(embedded).toEqual([
      {
        CommentId: shown.Id,
        CommentBody: '&lt;p&gt;Visible &amp; clear&lt;/p&gt;',
        PrivacyType: 'PUBLIC',
        Submitter: 'Person/10003',
        CreateTime: shown.CreateTime,
      },
      {
        CommentId: hidden.Id,
        CommentBody: '&lt;p&gt;Hidden&lt;/p&gt;',
        PrivacyType: 'INTERNAL',
        Submitter: 'Person/10003',
        CreateTime: hidden.CreateTime,
      },
    ]);
  });

  it('embeds raw HTML when escaping is off', async () => {
    fake.configure({ escapeEmbeddedCommentBodies: false });
    await addComment('<p>Raw</p>', 'PUBLIC');

    const [embedded] = await embeddedComments();

    expect(embedded.CommentBody).toBe('<p>Raw</p>');
  });

  it('moves the Request LastUpdateTime', async () => {
    const before = fake.getEntity('Request', requestId)?.LastUpdateTime as number;

    await addComment('<p>Bump</p>', 'PUBLIC');

    expect(fake.getEntity('Request', requestId)?.LastUpdateTime as number).toBeGreaterThan(before);
  });

  it('defaults the submitter to the caller', async () => {
    const response = await postComment({ Body: '<p>Mine</p>', PrivacyType: 'PUBLIC' });

    expect(((await response.json()) as CommentAnswer).Submitter).toEqual({ UserId: '10001' });
  });

  it('returns the submitter id as a string', async () => {
    const response = await postComment({ Body: '<p>Numeric</p>', PrivacyType: 'PUBLIC', Submitter: { UserId: 10003 } });

    expect(((await response.json()) as CommentAnswer).Submitter).toEqual({ UserId: '10003' });
  });

  it('adds several comments through bulk', async () => {
    const response = await postComment(
      [waldurComment('<p>One</p>', 'PUBLIC'), waldurComment('<p>Two</p>', 'INTERNAL')],
      `/collaboration/comments/bulk/Request/${requestId}`,
    );

    expect(response.status).toBe(200);
    expect(((await response.json()) as CommentAnswer[]).map((comment) => comment.Body)).toEqual(['<p>One</p>', '<p>Two</p>']);
    expect(fake.getComments(requestId)).toHaveLength(2);
  });

  it('replaces a comment on PUT', async () => {
    const comment = await addComment('<p>Draft</p>', 'PUBLIC');
    const { FunctionalPurpose: _purpose, ...update } = waldurComment('<p>Final</p>', 'INTERNAL');

    const response = await callSmax(fake, `/collaboration/comments/Request/${requestId}/${comment.Id}`, { method: 'PUT', token, json: update });

    const updated = (await response.json()) as CommentAnswer;
    expect(response.status).toBe(200);
    expect(updated).toMatchObject({ Id: comment.Id, Body: '<p>Final</p>', PrivacyType: 'INTERNAL', CreateTime: comment.CreateTime });
    expect(updated).not.toHaveProperty('FunctionalPurpose');
    expect(updated.UpdateTime).toBeGreaterThan(0);
    expect((await embeddedComments())[0].PrivacyType).toBe('INTERNAL');
  });

  it('removes a comment on DELETE', async () => {
    const kept = await addComment('<p>Keep</p>', 'PUBLIC');
    const removed = await addComment('<p>Remove</p>', 'PUBLIC');

    const response = await callSmax(fake, `/collaboration/comments/Request/${requestId}/${removed.Id}`, { method: 'DELETE', token });

    expect(response.status).toBe(200);
    expect(fake.getComments(requestId).map((comment) => comment.Id)).toEqual([kept.Id]);
    expect((await embeddedComments()).map((comment) => comment.CommentId)).toEqual([kept.Id]);
  });

  it('drops the Comments property with the last comment', async () => {
    const comment = await addComment('<p>Only</p>', 'PUBLIC');

    await callSmax(fake, `/collaboration/comments/Request/${requestId}/${comment.Id}`, { method: 'DELETE', token });

    expect(fake.getEntity('Request', requestId)).not.toHaveProperty('Comments');
  });

  it('shows agent comments through the API', async () => {
    fake.agent.comment(requestId, { body: '<p>From the desk</p>', privacy: 'INTERNAL' });
    const agentToken = await loginAs(fake, AGENT_USER.login, AGENT_USER.password);

    const response = await callSmax(fake, `/collaboration/comments/Request/${requestId}`, { token: agentToken });

    const [comment] = (await response.json()) as CommentAnswer[];
    expect(comment).toMatchObject({ Body: '<p>From the desk</p>', PrivacyType: 'INTERNAL', Submitter: { UserId: '10002' }, CommentFrom: 'Agent' });
  });

  describe('rejections', () => {
    it.each([
      ['missing Body', { PrivacyType: 'PUBLIC' }, 'Body'],
      ['invalid PrivacyType', { Body: 'x', PrivacyType: 'SECRET' }, 'PrivacyType'],
      ['missing PrivacyType', { Body: 'x' }, 'PrivacyType'],
      ['unknown submitter', { Body: 'x', PrivacyType: 'PUBLIC', Submitter: { UserId: '1' } }, 'Submitter Person 1'],
      ['a list body', [], 'JSON object'],
    ])('rejects %s with 400', async (_case, payload, message) => {
      const response = await postComment(payload);

      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toContain(message);
    });

    it('rejects comments on a closed request', async () => {
      fake.agent.setPhase(requestId, 'Close');

      const response = await postComment(waldurComment('<p>Late</p>', 'PUBLIC'));

      expect(response.status).toBe(400);
      expect(fake.getComments(requestId)).toEqual([]);
    });

    it('returns 404 for an unknown request', async () => {
      const response = await postComment(waldurComment('<p>x</p>', 'PUBLIC'), '/collaboration/comments/Request/99999');

      expect(response.status).toBe(404);
    });

    it('returns 404 for an unknown comment', async () => {
      const response = await callSmax(fake, `/collaboration/comments/Request/${requestId}/nope`, { method: 'DELETE', token });

      expect(response.status).toBe(404);
    });

    it('returns 404 for other entity types', async () => {
      const response = await postComment(waldurComment('<p>x</p>', 'PUBLIC'), `/collaboration/comments/Incident/${requestId}`);

      expect(response.status).toBe(404);
    });
  });
});
