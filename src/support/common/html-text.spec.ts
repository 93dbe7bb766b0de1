import { escapeHtml, htmlToText, normalizeWhitespace, textToHtml } from './html-text';

describe('htmlToText', () => {
  it('turns div lines into lines', () => {
    expect(htmlToText('<div>first</div><div>second</div>')).toBe('first\nsecond');
  });

  it('keeps one blank line between paragraphs', () => {
    expect(htmlToText('<p>one</p>\n\n<p>two</p><p></p><p>three</p>')).toBe('one\n\ntwo\n\nthree');
  });

  it('drops scripts and styles with their content', () => {
    const html = '<style>p { color: red }</style>Hello<script>alert("x")</script> <b>world</b>';
    expect(htmlToText(html)).toBe('Hello world');
  });

  it('drops an unclosed script to the end', () => {
    expect(htmlToText('safe<script src="x.js"/>text')).toBe('safe text');
  });

  it('drops comments', () => {
    expect(htmlToText('a<!-- <b>hidden</b> -->b')).toBe('ab');
  });

  it('decodes named and numeric entities', () => {
    expect(htmlToText('Caf&eacute; &amp; T&#246;rtchen &#x1F600; &lt;b&gt;')).toBe('Café & Törtchen 😀 <b>');
  });

  it('keeps escaped markup as literal text', () => {
    expect(htmlToText('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>')).toBe('<script>alert(1)</script>');
  });

  it('keeps unknown entities as written', () => {
    expect(htmlToText('&unknown; &amp')).toBe('&unknown; &');
  });

  it('drops entities of control characters', () => {
    expect(htmlToText('a&#0;b&#x7;c')).toBe('abc');
  });

  it('appends link addresses that differ from the label', () => {
    expect(htmlToText('See <a href="https://example.com/docs">the docs</a>.')).toBe('See the docs (https://example.com/docs).');
  });

  it('does not repeat a link address used as label', () => {
    expect(htmlToText('<a href="https://example.com">https://example.com</a>')).toBe('https://example.com');
  });

  it('drops javascript link addresses', () => {
    expect(htmlToText('<a href="javascript:alert(1)">click</a>')).toBe('click');
  });

  it('shows mail links without the scheme', () => {
    expect(htmlToText('<a href="mailto:jane@example.com">Jane</a>')).toBe('Jane (jane@example.com)');
  });

  it('lists items with dashes', () => {
    expect(htmlToText('<ul><li>one</li><li>two</li></ul>')).toBe('- one\n- two');
  });

  it('keeps line breaks inside pre', () => {
    expect(htmlToText('<pre>a\nb</pre>')).toBe('a\nb');
  });

  it('uses the alt text of images', () => {
    expect(htmlToText('<img src="/api/v1/ticket_attachment/1/2/3?view=inline" alt="diagram">')).toBe('diagram');
  });

  it('reads attribute values with a greater-than sign', () => {
    expect(htmlToText('<span title="a > b">text</span>')).toBe('text');
  });

  it('keeps a lone less-than sign', () => {
    expect(htmlToText('1 < 2')).toBe('1 < 2');
  });

  it('turns no-break spaces into spaces', () => {
    expect(htmlToText('a&nbsp;b')).toBe('a b');
  });
});

describe('textToHtml', () => {
  it('escapes markup and breaks lines', () => {
    expect(textToHtml('<b>bold</b> & "quoted"\nnext')).toBe('&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;<br>next');
  });

  it('reads back as the same text', () => {
    const text = 'Line one <tag>\n\nLine three & more\nÜbersicht 日本語';
    expect(htmlToText(textToHtml(text))).toBe(text);
  });

  it('treats CRLF as one break', () => {
    expect(textToHtml('a\r\nb')).toBe('a<br>b');
  });
});

describe('escapeHtml', () => {
  it('escapes single quotes', () => {
    expect(escapeHtml("it's")).toBe('it&#39;s');
  });
});

describe('normalizeWhitespace', () => {
  it('collapses runs of whitespace', () => {
    expect(normalizeWhitespace(' a \n\n b\tc ')).toBe('a b c');
  });
});
