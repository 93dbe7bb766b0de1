import { parseJsonWithoutNullCharacters, stripNullCharacters } from './null-characters';

describe('null characters', () => {
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
