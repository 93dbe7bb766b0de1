import { contentHash } from './content-hash';

describe('contentHash', () => {
  it('ignores key order', () => {
    expect(contentHash({ a: 1, b: { c: 2, d: [1, 2] } })).toBe(contentHash({ b: { d: [1, 2], c: 2 }, a: 1 }));
  });

  it('keeps array order', () => {
    expect(contentHash([1, 2])).not.toBe(contentHash([2, 1]));
  });

  it('treats undefined fields as absent', () => {
    expect(contentHash({ a: 1, b: undefined })).toBe(contentHash({ a: 1 }));
  });

  it('distinguishes null from absent', () => {
    expect(contentHash({ a: null })).not.toBe(contentHash({}));
  });

  it('hashes dates as ISO strings', () => {
    expect(contentHash({ at: new Date('2024-01-31T10:00:00Z') })).toBe(contentHash({ at: '2024-01-31T10:00:00.000Z' }));
  });

  it('returns 64 hex characters', () => {
    expect(contentHash('text')).toMatch(/^[0-9a-f]{64}$/);
  });
});
