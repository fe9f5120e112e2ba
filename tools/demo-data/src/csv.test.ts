import { CsvError, readCsvRecords, readCsvRows, readTsvRows } from './csv';

const rows = (text: string, delimiter?: string) => [...readCsvRows(text, delimiter)];

describe('readCsvRows', () => {
  it('splits plain fields and records on LF and CRLF', () => {
    expect(rows('a,b,c\n1,2,3\r\n4,5,6')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
      ['4', '5', '6'],
    ]);
  });

  it('does not yield an empty record for a trailing line break', () => {
    expect(rows('a,b\n1,2\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(rows('a,b\r\n')).toEqual([['a', 'b']]);
    expect(rows('')).toEqual([]);
  });

  it('keeps empty fields, including leading and trailing ones', () => {
    expect(rows(',x,\n,,')).toEqual([
      ['', 'x', ''],
      ['', '', ''],
    ]);
  });

  it('reads quoted fields with delimiters, doubled quotes and embedded line breaks', () => {
    const text = 'id,text\n1,"one, two"\n2,"she said ""hi"""\n3,"line one\r\nline two\rstill two\nthree"\n4,""\n';
    expect(rows(text)).toEqual([
      ['id', 'text'],
      ['1', 'one, two'],
      ['2', 'she said "hi"'],
      ['3', 'line one\r\nline two\rstill two\nthree'],
      ['4', ''],
    ]);
  });

  it('drops a leading byte-order mark but keeps one inside a field', () => {
    expect(rows('\ufeffcat,review\n书籍,\ufeff好书')).toEqual([
      ['cat', 'review'],
      ['书籍', '\ufeff好书'],
    ]);
  });

  it('reads a quoted last field without a final line break', () => {
    expect(rows('a,"b\nc"')).toEqual([['a', 'b\nc']]);
  });

  it('supports another single-character delimiter', () => {
    expect(rows('a\t"b\tc"\n', '\t')).toEqual([['a', 'b\tc']]);
    expect(() => rows('a', '""')).toThrow('unsupported delimiter');
  });

  it('rejects an unterminated quote with the line it started on', () => {
    const read = () => rows('a,b\n1,"open\nstill open');
    expect(read).toThrow(CsvError);
    expect(read).toThrow('unterminated quoted field (line 2)');
  });

  it('rejects text after a closing quote and quotes inside unquoted fields', () => {
    expect(() => rows('a\n"x"y,1')).toThrow('unexpected character after a closing quote (line 2)');
    expect(() => rows('a\n"x\n\n"y')).toThrow('(line 4)');
    expect(() => rows('a\n12"')).toThrow('quote inside an unquoted field (line 2)');
  });
});

describe('readCsvRecords', () => {
  it('keys records by the header, including an unnamed first column', () => {
    expect([...readCsvRecords(',Clothing ID,Title\n0,767,\n2,1077,"Some, flaws"\n')]).toEqual([
      { '': '0', 'Clothing ID': '767', Title: '' },
      { '': '2', 'Clothing ID': '1077', Title: 'Some, flaws' },
    ]);
  });

  it('refuses a record whose field count differs from the header', () => {
    expect(() => [...readCsvRecords('a,b\n1,2\n3\n')]).toThrow('record 2 has 1 fields, the header 2');
  });
});

describe('readTsvRows', () => {
  it('splits on tabs, treats quotes literally and skips blank lines', () => {
    expect([...readTsvRows('item_id\tasin\ttitle\r\n1\tB0\tMirror 12" "round"\n\n2\tB1\t\n')]).toEqual([
      ['item_id', 'asin', 'title'],
      ['1', 'B0', 'Mirror 12" "round"'],
      ['2', 'B1', ''],
    ]);
  });
});
