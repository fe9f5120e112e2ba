import { AppError, ErrorCode, requireDisplayText, unsafeDisplayCharacter } from '../src';

describe('unsafeDisplayCharacter', () => {
  it.each([
    ['right-to-left override', 'Ada\u202Etxt.exe', 'U+202E'],
    ['left-to-right override', 'a\u202Db', 'U+202D'],
    ['embeddings and pop', 'a\u202A\u202B\u202Cb', 'U+202A'],
    ['isolates', 'a\u2066b\u2069', 'U+2066'],
    ['first strong isolate', 'a\u2068b', 'U+2068'],
    ['left-to-right and right-to-left marks', 'a\u200Eb\u200F', 'U+200E'],
    ['Arabic letter mark', 'a\u061Cb', 'U+061C'],
    ['NUL', 'a\u0000b', 'U+0000'],
    ['escape (terminal sequences)', 'a\u001B[31mb', 'U+001B'],
    ['carriage return', 'a\rb', 'U+000D'],
    ['DEL', 'a\u007Fb', 'U+007F'],
    ['C1 control', 'a\u0085b', 'U+0085'],
    ['line separator', 'a\u2028b', 'U+2028'],
    ['interlinear annotation', 'a\uFFF9b', 'U+FFF9'],
    ['unpaired surrogate', 'a\uD800b', 'U+D800'],
  ])('%s: found in one line or several', (_what, text, expected) => {
    expect(unsafeDisplayCharacter(text)).toBe(expected);
    expect(unsafeDisplayCharacter(text, { multiline: true })).toBe(expected);
  });

  it('allows line feeds and tabs only in multi-line text', () => {
    expect(unsafeDisplayCharacter('good\n\tvalue', { multiline: true })).toBeNull();
    expect(unsafeDisplayCharacter('good\nvalue')).toBe('U+000A');
    expect(unsafeDisplayCharacter('good\tvalue')).toBe('U+0009');
  });

  it('leaves ordinary text alone: Chinese, right-to-left scripts, emoji with joiners and variation selectors', () => {
    for (const text of ['保湿效果很好', 'مرحبا بالعالم', 'שלום', '👩‍👩‍👧 family', '❤️ love', 'Ada Lovelace', 'می‌خواهم']) {
      expect({ text, unsafe: unsafeDisplayCharacter(text, { multiline: true }) }).toEqual({ text, unsafe: null });
      expect({ text, unsafe: unsafeDisplayCharacter(text) }).toEqual({ text, unsafe: null });
    }
  });
});

describe('requireDisplayText', () => {
  it('returns the text unchanged when it is safe', () => {
    expect(requireDisplayText('Ada', 'displayName')).toBe('Ada');
  });

  it('refuses with BAD_USER_INPUT naming the field and the character', () => {
    let caught: unknown;
    try {
      requireDisplayText('Ada\u202Egnp.exe', 'displayName');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect(caught).toMatchObject({ code: ErrorCode.BadUserInput, details: { field: 'displayName' } });
    expect((caught as Error).message).toContain('U+202E');
  });
});
