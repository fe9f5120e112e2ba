import { parseRees46Events } from './rees46-events.source';

const CSV = `event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session
2019-10-01 00:00:00 UTC,view,44600062,2103807459595387724,,shiseido,35.79,541312140,72d76fde-8bb3-4e00-8c23-a032dfed738c
2019-10-01 00:00:00 UTC,view,3900821,2053013552326770905,appliances.environment.water_heater,aqua,33.20,554748717,9333dfbd-b87a-4708-9857-6336556b0fcc
2019-10-01 00:00:01 UTC,view,17200506,2053013559792632471,furniture.living_room.sofa,,543.10,519107250,566511c2-e2e3-422b-b695-cf8e6e792ca8
2019-10-01 00:00:01 UTC,view,17200506,2053013559792632471,furniture.living_room.sofa,,543.10,519107250,566511c2-e2e3-422b-b695-cf8e6e792ca8
2019-10-01 00:05:14 UTC,purchase,1004856,2053013555631882655,electronics.smartphone,samsung,130.76,543272936,8187d148-3c41-46d4-b0c0-9c08cd9dc564
`;

describe('parseRees46Events', () => {
  const events = parseRees46Events(CSV);

  it('reads typed events, keeping the 19-digit category id exact', () => {
    expect(events).toHaveLength(5);
    expect(events[0]).toEqual({
      eventTime: new Date('2019-10-01T00:00:00Z'),
      eventType: 'view',
      productId: '44600062',
      categoryId: '2103807459595387724',
      categoryCode: '',
      brand: 'shiseido',
      price: 35.79,
      userId: '541312140',
      userSession: '72d76fde-8bb3-4e00-8c23-a032dfed738c',
      occurrence: 1,
    });
    expect(events[4]).toMatchObject({ eventType: 'purchase', categoryCode: 'electronics.smartphone', price: 130.76 });
  });

  it('numbers exact repeats so each row has its own key', () => {
    expect(events.map((event) => event.occurrence)).toEqual([1, 1, 1, 2, 1]);
  });

  it('refuses an unknown event type or a bad time', () => {
    const [header, first] = CSV.split('\n') as [string, string];
    expect(() => parseRees46Events(`${header}\n${first.replace(',view,', ',click,')}\n`)).toThrow('unknown event_type');
    expect(() => parseRees46Events(`${header}\n${first.replace(' UTC', '')}\n`)).toThrow('bad event_time');
  });
});
