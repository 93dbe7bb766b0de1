import { type FakeZammad, startFakeZammad } from './server';
import { callApi, readFixture, tokenHeader } from './spec-support/api-client';

describe('fake Zammad users and reference data', () => {
  let fake: FakeZammad;

  beforeAll(async () => {
    fake = await startFakeZammad();
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(() => {
    fake.reset();
  });

  it('returns users/me with real keys', async () => {
    const response = await callApi(fake, 'GET', '/api/v1/users/me');

    expect(Object.keys(response.json).sort()).toEqual(Object.keys(readFixture('user-me.json')).sort());
    expect(response.json.group_ids).toEqual({ '1': ['full'], '2': ['full'] });
  });

  it('expands user names like a real list', async () => {
    const response = await callApi(fake, 'GET', '/api/v1/users?expand=true');

    const realKeys = Object.keys(readFixture('users-list-expand-true.json')[1]).sort();
    const nicole = response.json.find((user: { id: number }) => user.id === 4);
    expect(Object.keys(nicole).sort()).toEqual(realKeys);
    expect(nicole.roles).toEqual(['Customer']);
    expect(nicole.organization).toBe('Zammad Foundation');
    expect(response.json[0].login).toBe('-');
  });

  it('pages the user list', async () => {
    const first = await callApi(fake, 'GET', '/api/v1/users?page=1&per_page=2');
    const third = await callApi(fake, 'GET', '/api/v1/users?page=3&per_page=2');

    expect(first.json.map((user: { id: number }) => user.id)).toEqual([1, 2]);
    expect(third.json.map((user: { id: number }) => user.id)).toEqual([5]);
  });

  it('searches users by part of the e-mail', async () => {
    await callApi(fake, 'POST', '/api/v1/users', { body: { firstname: 'Jane', email: 'jane@example.com.au' } });
    await callApi(fake, 'POST', '/api/v1/users', { body: { firstname: 'Jane', email: 'jane@example.com' } });

    const response = await callApi(fake, 'GET', '/api/v1/users/search?query=jane@example.com');

    expect(response.json.map((user: { email: string }) => user.email)).toEqual(['jane@example.com.au', 'jane@example.com']);
  });

  it('pages user search results', async () => {
    const response = await callApi(fake, 'GET', '/api/v1/users/search?query=example.com&page=2&per_page=2&expand=true');

    expect(response.json.map((user: { login: string }) => user.login)).toEqual(['nicole.braun@example.com', 'emily@example.com']);
    expect(response.json[0].roles).toEqual(['Customer']);
  });

  it('refuses user search to customers', async () => {
    const response = await callApi(fake, 'GET', '/api/v1/users/search?query=a', {
      authorization: tokenHeader(fake.tokens.customer),
    });

    expect(response.status).toBe(403);
  });

  it('creates a user with roles', async () => {
    const response = await callApi(fake, 'POST', '/api/v1/users', {
      body: { login: 'jdoe', email: 'Jane.Doe@example.com', firstname: 'Jane', lastname: 'Doe', organization: 'Awesome Customer Inc.', roles: ['Agent', 'Customer'] },
    });

    expect(response.status).toBe(201);
    expect(response.json.id).toBe(6);
    expect(response.json.login).toBe('jdoe');
    expect(response.json.email).toBe('jane.doe@example.com');
    expect(response.json.role_ids).toEqual([2, 3]);
    expect(response.json.organization_id).toBe(2);
    expect(response.json.password).toBeUndefined();
  });

  it('gives agents the customer role only', async () => {
    const response = await callApi(fake, 'POST', '/api/v1/users', {
      authorization: tokenHeader(fake.tokens.agent),
      body: { email: 'new@example.com', roles: ['Admin'] },
    });

    expect(response.json.role_ids).toEqual([3]);
  });

  it('rejects a duplicate e-mail', async () => {
    const response = await callApi(fake, 'POST', '/api/v1/users', { body: { email: 'EMMA@example.com' } });

    expect(response.status).toBe(422);
    expect(response.json.error).toBe("Email address 'emma@example.com' is already used for another user.");
  });

  it('makes up a login for users without e-mail', async () => {
    const response = await callApi(fake, 'POST', '/api/v1/users', { body: { firstname: 'Nameless' } });

    expect(response.json.login).toMatch(/^auto-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('shows one user and 404 for a missing one', async () => {
    const found = await callApi(fake, 'GET', '/api/v1/users/3');
    const missing = await callApi(fake, 'GET', '/api/v1/users/999');

    expect(found.json.login).toBe('emma@example.com');
    expect(missing.status).toBe(404);
    expect(missing.json.error).toBe("Couldn't find User with 'id'=999");
  });

  it('lists groups with the keys of a real list', async () => {
    const response = await callApi(fake, 'GET', '/api/v1/groups?expand=true');

    const realKeys = Object.keys(readFixture('groups-list-expand-true.json')[1]).sort();
    expect(response.json.map((group: { name: string }) => group.name)).toEqual(['Users', 'Support']);
    expect(Object.keys(response.json[1]).sort()).toEqual(realKeys);
  });

  it('lists the default states with their types', async () => {
    const response = await callApi(fake, 'GET', '/api/v1/ticket_states?expand=true');

    const states = response.json.map((state: { id: number; name: string; state_type: string }) => [state.id, state.name, state.state_type]);
    expect(states).toEqual([
      [1, 'new', 'new'],
      [2, 'open', 'open'],
      [3, 'pending reminder', 'pending reminder'],
      [4, 'closed', 'closed'],
      [5, 'merged', 'merged'],
      [6, 'removed', 'removed'],
      [7, 'pending close', 'pending action'],
    ]);
  });

  it('lists the three priorities', async () => {
    const response = await callApi(fake, 'GET', '/api/v1/ticket_priorities');

    expect(response.json.map((priority: { id: number; name: string }) => [priority.id, priority.name])).toEqual([
      [1, '1 low'],
      [2, '2 normal'],
      [3, '3 high'],
    ]);
    expect(response.json[1].default_create).toBe(true);
  });

  it('lists organisations with their members', async () => {
    const response = await callApi(fake, 'GET', '/api/v1/organizations');

    const realKeys = Object.keys(readFixture('organizations-list.json')[0]).sort();
    expect(Object.keys(response.json[0]).sort()).toEqual(realKeys);
    expect(response.json[0].member_ids).toEqual([4]);
  });
});
