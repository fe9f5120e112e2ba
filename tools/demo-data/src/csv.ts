/** A malformed delimited file, with the 1-based line where the problem starts. */
export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`${message} (line ${line})`);
    this.name = 'CsvError';
  }
}

const QUOTE = 34;
const CR = 13;
const LF = 10;

/**
 * Reads RFC 4180 records: fields separated by `delimiter`, records by CRLF or LF, fields in double
 * quotes may hold delimiters, line breaks (kept byte for byte, `\r` included) and `""` for a quote.
 * A leading byte-order mark is dropped; a final line break does not start an empty record.
 * Strict about quotes, because a stray one silently shifts every later column.
 */
export function* readCsvRows(text: string, delimiter = ','): Generator<string[]> {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new Error(`unsupported delimiter ${JSON.stringify(delimiter)}`);
  }
  const sep = delimiter.charCodeAt(0);
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const length = text.length;
  if (i >= length) return;
  let row: string[] = [];
  for (;;) {
    let field: string;
    if (text.charCodeAt(i) === QUOTE) {
      const startLine = line;
      let value = '';
      let from = i + 1;
      for (;;) {
        const close = text.indexOf('"', from);
        if (close < 0) throw new CsvError('unterminated quoted field', startLine);
        value += text.slice(from, close);
        line += countLineFeeds(text, from, close);
        if (text.charCodeAt(close + 1) === QUOTE) {
          value += '"';
          from = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      const next = text.charCodeAt(i);
      if (i < length && next !== sep && next !== LF && !(next === CR && text.charCodeAt(i + 1) === LF)) {
        throw new CsvError('unexpected character after a closing quote', line);
      }
      field = value;
    } else {
      let end = i;
      while (end < length) {
        const c = text.charCodeAt(end);
        if (c === sep || c === LF || (c === CR && text.charCodeAt(end + 1) === LF)) break;
        if (c === QUOTE) throw new CsvError('quote inside an unquoted field', line);
        end += 1;
      }
      field = text.slice(i, end);
      i = end;
    }
    row.push(field);
    if (i >= length) {
      yield row;
      return;
    }
    const c = text.charCodeAt(i);
    if (c === sep) {
      i += 1;
      continue;
    }
    i += c === CR ? 2 : 1;
    line += 1;
    yield row;
    row = [];
    if (i >= length) return;
  }
}

function countLineFeeds(text: string, from: number, to: number): number {
  let count = 0;
  for (let at = text.indexOf('\n', from); at >= 0 && at < to; at = text.indexOf('\n', at + 1)) count += 1;
  return count;
}

/**
 * Records of a file with a header line, keyed by column name. A record with a different number of
 * fields than the header is an error, not a guess.
 */
export function* readCsvRecords(text: string, delimiter = ','): Generator<Record<string, string>> {
  let header: string[] | undefined;
  let record = 0;
  for (const row of readCsvRows(text, delimiter)) {
    if (!header) {
      header = row;
      continue;
    }
    record += 1;
    if (row.length !== header.length) {
      throw new Error(`record ${record} has ${row.length} fields, the header ${header.length}`);
    }
    const out: Record<string, string> = {};
    header.forEach((name, index) => {
      out[name] = row[index] ?? '';
    });
    yield out;
  }
}

/**
 * Lines of a tab-separated file without quoting (quotes are ordinary characters, as in the Amazon
 * title table where `12"` means inches), split on tabs; empty lines are skipped.
 */
export function* readTsvRows(text: string): Generator<string[]> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (const line of body.split(/\r?\n/)) {
    if (line.length > 0) yield line.split('\t');
  }
}
