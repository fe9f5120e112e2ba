import { namedMost, precisionAt, titleAspects, titleComplaintCounts } from './title-complaints';

describe('title complaints', () => {
  it('maps the complaint a title names to aspects by the written rule', () => {
    expect(titleAspects('Runs small')).toEqual(['size_fit']);
    expect(titleAspects('Poor quality')).toEqual(['quality']);
    expect(titleAspects('Too long and itchy')).toEqual(['size_fit', 'comfort']);
    expect(titleAspects('Not worth the price')).toEqual(['price']);
    expect(titleAspects('Color not as pictured')).toEqual(['appearance']);
    expect(titleAspects('Disappointed')).toEqual([]);
  });

  it('counts titles of complaint reviews only, and ranks the aspects named most', () => {
    const counts = titleComplaintCounts([
      { title: 'Runs small', rating: 2 },
      { title: 'Too tight', rating: 3 },
      { title: 'Sizing is off', rating: 1 },
      { title: 'Cheap fabric', rating: 2 },
      { title: 'Cheap material', rating: 3 },
      { title: 'Ugly colour', rating: 2 },
      { title: 'Perfect fit', rating: 5 },
    ]);
    expect(Object.fromEntries(counts)).toEqual({ size_fit: 3, quality: 2, appearance: 1 });
    expect(namedMost(counts)).toEqual(['size_fit', 'quality']);
    expect(namedMost(counts, 3, 1)).toEqual(['size_fit', 'quality', 'appearance']);
  });

  it('scores precision over the suggestions made, none when there are none', () => {
    expect(precisionAt(['size_fit', 'price', 'quality', 'comfort'], ['size_fit', 'quality'])).toBeCloseTo(2 / 3, 12);
    expect(precisionAt(['price'], ['size_fit'])).toBe(0);
    expect(precisionAt([], ['size_fit'])).toBeNull();
  });
});
