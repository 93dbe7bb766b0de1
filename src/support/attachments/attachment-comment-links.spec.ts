import { referencedFileNames } from './attachment-comment-links';

describe('referencedFileNames', () => {
  it('reads an embedded image', () => {
    expect(referencedFileNames('See !screen.png!')).toEqual(new Set(['screen.png']));
  });

  it('reads an embedded image with options', () => {
    expect(referencedFileNames('!screen shot.png|thumbnail!')).toEqual(new Set(['screen shot.png']));
  });

  it('reads attachment links', () => {
    expect(referencedFileNames('Logs: [^server.log] and [the dump|^core.dump]')).toEqual(new Set(['server.log', 'core.dump']));
  });

  it('reads the lines HomePort writes after an upload', () => {
    const text = 'Here are the files.\n!photo.jpg|thumbnail!\n[^report.pdf]';

    expect(referencedFileNames(text)).toEqual(new Set(['photo.jpg', 'report.pdf']));
  });

  it('finds a reference after an exclamation', () => {
    const names = referencedFileNames('Done! See !after.png! too');

    expect(names.has('after.png')).toBe(true);
  });

  it('normalizes names to NFC', () => {
    const decomposed = 'Übersicht.txt'.normalize('NFD');

    expect(referencedFileNames(`[^${decomposed}]`)).toEqual(new Set(['Übersicht.txt'.normalize('NFC')]));
  });

  it('ignores references across lines', () => {
    expect(referencedFileNames('Wow!\nGreat!')).toEqual(new Set());
  });

  it('ignores plain links', () => {
    expect(referencedFileNames('[Jira|https://jira.example.com] and [~jane]')).toEqual(new Set());
  });
});
