import { compareIds, isRowId } from '../src/row-id';

describe('isRowId', () => {
  it('accepts every positive signed BIGINT written as a plain decimal', () => {
    for (const id of ['1', '42', '9007199254740993', '9223372036854775807']) expect(isRowId(id)).toBe(true);
  });

  it('refuses what SQL would coerce or overflow on', () => {
    for (const id of ['', '0', '007', '-1', '1.5', '12abc', ' 12', '1e3', '9223372036854775808', '99999999999999999999']) expect(isRowId(id)).toBe(false);
  });
});

describe('compareIds', () => {
  it('orders decimal ids numerically, not as text', () => {
    expect(['10', '9', '100', '11'].sort(compareIds)).toEqual(['9', '10', '11', '100']);
    expect(compareIds('5', '5')).toBe(0);
  });
});
