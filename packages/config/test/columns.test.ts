import { formatColumns } from '../src';

describe('formatColumns', () => {
  it('left-aligns the first column, right-aligns the rest, and rules the header', () => {
    expect(
      formatColumns(
        ['method', 'HR@10'],
        [
          ['sequence', '0.0830'],
          ['pop', '0.01'],
        ],
      ),
    ).toBe(['method     HR@10', '--------  ------', 'sequence  0.0830', 'pop         0.01'].join('\n'));
  });
});
