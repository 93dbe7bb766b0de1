import { parseJsonWithoutNullCharacters, stripNullCharacter, stripNullCharacters } from './null-characters';

describe('stripNullCharacters', () => {
  it('removes U+0000 from a string', () => {
    expect(stripNullCharacter('a\u0000b\u0000')).toBe('ab');
  });

  it('cleans strings at every depth', () => {
    const parsed = JSON.parse('{"body":"x\\u0000y","items":[{"name":"\\u0000f"}],"n\\u0000":1}') as unknown;

    expect(stripNullCharacters(parsed)).toEqual({ body: 'xy', items: [{ name: 'f' }], n: 1 });
  });

  it('keeps numbers, booleans and null', () => {
    expect(stripNullCharacters([1, true, null])).toEqual([1, true, null]);
  });

  it('keeps a __proto__ key as a plain key', () => {
    const cleaned = stripNullCharacters(JSON.parse('{"__proto__":{"polluted":"yes\\u0000"}}') as Record<string, unknown>);

    expect(Object.getPrototypeOf(cleaned)).toBe(Object.prototype);
    expect(Object.keys(cleaned)).toEqual(['__proto__']);
    expect((cleaned as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('leaves class instances untouched', () => {
    const buffer = Buffer.from('a\u0000b');

    expect(stripNullCharacters(buffer)).toBe(buffer);
  });
});

describe('parseJsonWithoutNullCharacters', () => {
  it('removes U+0000 from strings, keys and nested values', () => {
    const parsed = parseJsonWithoutNullCharacters('{"bo\\u0000dy":"a\\u0000b","list":["\\u0000x",{"name":"re\\u0000port.pdf"}],"n":1,"t":true,"z":null}');
    expect(parsed).toEqual({ body: 'ab', list: ['x', { name: 'report.pdf' }], n: 1, t: true, z: null });
  });

  it('keeps an escaped backslash followed by u0000 as text', () => {
    expect(parseJsonWithoutNullCharacters('"\\\\u0000"')).toBe('\\u0000');
  });

  it('returns values without U+0000 unchanged', () => {
    const value = { body: 'plain', list: ['a', { b: 'c' }] };
    expect(stripNullCharacters(value)).toBe(value);
  });

  it('strips a plain string', () => {
    expect(stripNullCharacters('x\u0000y\u0000')).toBe('xy');
  });

  it('rejects invalid JSON as JSON.parse does', () => {
    expect(() => parseJsonWithoutNullCharacters('{')).toThrow(SyntaxError);
  });
});
