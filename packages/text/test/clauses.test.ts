import { splitClauses, TextError } from '../src';

describe('splitClauses', () => {
  it.each([
    ['物流很快，但是尺码偏小', ['物流很快', '但是尺码偏小']],
    ['衣服不错就是偏大', ['衣服不错', '就是偏大']],
    ['质量好但包装差！不过客服态度好。', ['质量好', '但包装差', '不过客服态度好']],
    ['用着还行 性价比还可以。', ['用着还行', '性价比还可以']],
    ['不但便宜而且好吃', ['不但便宜而且好吃']],
    ['颜色、尺码都很好', ['颜色、尺码都很好']],
    ['Runs small but the fabric is lovely', ['Runs small', 'but the fabric is lovely']],
    ['Love it! however, the zipper broke.', ['Love it', 'however', 'the zipper broke']],
    ["I'm 5'4 and 5.5 is fine, although long", ["I'm 5'4 and 5.5 is fine", 'although long']],
    ['1.手感不好。2.屏幕差', ['手感不好', '屏幕差']],
    ['Cute top 但是 too short', ['Cute top', '但是 too short']],
    ['', []],
    ['!!! …', []],
  ])('%s', (text, expected) => {
    expect(splitClauses(text)).toEqual(expected);
  });

  it('rejects non-strings', () => {
    expect(() => splitClauses(null as unknown as string)).toThrow(TextError);
  });
});
