import { parseRetailDate, parseRetailTransactions } from './online-retail.source';

const CSV = `InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
536367,84879,ASSORTED COLOUR BIRD ORNAMENT,32,2010-12-01 08:34:00,1.69,13047.0,United Kingdom
536367,22745,POPPY'S PLAYHOUSE BEDROOM ,6,2010-12-01 08:34:00,2.1,13047.0,United Kingdom
C536379,D,Discount,-1,2010-12-01 09:41:00,27.5,14527.0,United Kingdom
536367,POST,POSTAGE,1,2010-12-01 08:34:00,18,13047.0,United Kingdom
536370,22728,"ALARM CLOCK BAKELIKE PINK",24,2011-01-31 16:59:00,3.75,12583.0,France
`;

describe('parseRetailTransactions', () => {
  const lines = parseRetailTransactions(CSV);

  it('reads every line with typed values and trimmed descriptions', () => {
    expect(lines).toHaveLength(5);
    expect(lines[1]).toEqual({
      invoiceNo: '536367',
      lineInInvoice: 2,
      stockCode: '22745',
      description: "POPPY'S PLAYHOUSE BEDROOM",
      quantity: 6,
      invoiceDate: new Date('2010-12-01T08:34:00Z'),
      unitPrice: 2.1,
      customerId: '13047',
      country: 'United Kingdom',
    });
  });

  it('numbers lines within each invoice in file order, as the row key', () => {
    expect(lines.map((line) => `${line.invoiceNo}#${line.lineInInvoice}`)).toEqual(['536367#1', '536367#2', 'C536379#1', '536367#3', '536370#1']);
  });

  it('keeps cancellations with their negative quantity', () => {
    expect(lines[2]).toMatchObject({ invoiceNo: 'C536379', stockCode: 'D', quantity: -1, customerId: '14527' });
  });

  it('refuses a line without a customer or with a bad number', () => {
    const header = CSV.split('\n')[0];
    expect(() => parseRetailTransactions(`${header}\n536367,84879,X,1,2010-12-01 08:34:00,1.69,,United Kingdom\n`)).toThrow('CustomerID');
    expect(() => parseRetailTransactions(`${header}\n536367,84879,X,one,2010-12-01 08:34:00,1.69,1.0,United Kingdom\n`)).toThrow('Quantity');
  });
});

describe('parseRetailDate', () => {
  it('reads UK winter time as UTC and summer time as UTC+1', () => {
    expect(parseRetailDate('2010-12-01 08:26:00').toISOString()).toBe('2010-12-01T08:26:00.000Z');
    expect(parseRetailDate('2011-07-01 12:00:00').toISOString()).toBe('2011-07-01T11:00:00.000Z');
    // BST 2011 ran from 27 March to 30 October.
    expect(parseRetailDate('2011-03-26 12:00:00').toISOString()).toBe('2011-03-26T12:00:00.000Z');
    expect(parseRetailDate('2011-03-27 12:00:00').toISOString()).toBe('2011-03-27T11:00:00.000Z');
    expect(parseRetailDate('2011-10-30 12:00:00').toISOString()).toBe('2011-10-30T12:00:00.000Z');
  });

  it("refuses UCI's original M/D/YYYY format", () => {
    expect(() => parseRetailDate('12/1/2010 8:26')).toThrow('bad InvoiceDate');
  });
});
