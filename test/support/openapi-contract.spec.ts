import { OpenApiContract } from './openapi-contract';

describe('OpenApiContract', () => {
  const contract = new OpenApiContract();

  it('loads the support component schemas', () => {
    expect(contract.schemaNames).toEqual(expect.arrayContaining(['Issue', 'Comment', 'Attachment', 'Feedback']));
  });

  it('accepts a conforming priority', () => {
    const priority = { url: 'http://x/api/support-priorities/0123456789abcdef0123456789abcdef/', uuid: '0123456789abcdef0123456789abcdef', name: 'High' };
    expect(contract.errors('Priority', priority)).toEqual([]);
  });

  it('rejects a hyphenated uuid', () => {
    const priority = { url: 'http://x/', uuid: '01234567-89ab-cdef-0123-456789abcdef', name: 'High' };
    expect(contract.errors('Priority', priority)).not.toEqual([]);
  });

  it('rejects a missing required field', () => {
    expect(contract.errors('Priority', { url: 'http://x/', name: 'High' })).not.toEqual([]);
  });

  it('accepts null where the compatibility notes allow it', () => {
    const errors = contract.errors('Comment', { author_uuid: null, author_user: null, author_email: null });
    expect(errors.some((error) => error.includes('author_uuid') && error.includes('type'))).toBe(false);
  });

  it('accepts the active status type', () => {
    const status = { url: 'http://x/', uuid: '0123456789abcdef0123456789abcdef', name: 'Open', type: 2, type_display: 'Active' };
    expect(contract.errors('IssueStatus', status)).toEqual([]);
  });

  it('accepts a blank priority icon', () => {
    const priority = { url: 'http://x/', uuid: '0123456789abcdef0123456789abcdef', name: 'High', icon_url: '' };
    expect(contract.errors('Priority', priority)).toEqual([]);
  });

  it('rejects a blank url elsewhere', () => {
    const priority = { url: '', uuid: '0123456789abcdef0123456789abcdef', name: 'High' };
    expect(contract.errors('Priority', priority)).not.toEqual([]);
  });
});
