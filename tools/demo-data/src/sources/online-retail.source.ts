import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readCsvRecords } from '../csv';

export const RETAIL_FILE = 'online_retail_uci_2010_12_2011_01/transactions.csv';

/** One invoice line of transactions.csv. */
export interface RetailLine {
  invoiceNo: string;
  /** 1-based position of this line among its invoice's lines, in file order: the row key. */
  lineInInvoice: number;
  stockCode: string;
  description: string;
  quantity: number;
  /** InvoiceDate converted from UK local time to an instant. */
  invoiceDate: Date;
  /** GBP per unit, as written (e.g. `2.1`). */
  unitPrice: number;
  /** Without the `.0` the Spark export appends. */
  customerId: string;
  country: string;
}

const INVOICE_DATE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const CUSTOMER_ID = /^(\d+)(?:\.0)?$/;
const INTEGER = /^-?\d+$/;
const DECIMAL = /^\d+(?:\.\d+)?$/;

/** 01:00 UTC on the last Sunday of `month` (0-based): when British Summer Time starts or ends. */
function lastSundayOneAmUtc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
}

/** InvoiceDate is UK wall-clock time: GMT in winter, BST (UTC+1) from late March to late October. */
export function parseRetailDate(value: string): Date {
  const match = INVOICE_DATE.exec(value);
  if (!match) throw new Error(`transactions.csv: bad InvoiceDate ${JSON.stringify(value)}`);
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const ifSummer = wall - 3_600_000;
  const summer = ifSummer >= lastSundayOneAmUtc(y, 2) && ifSummer < lastSundayOneAmUtc(y, 9);
  return new Date(summer ? ifSummer : wall);
}

export function parseRetailTransactions(csv: string): RetailLine[] {
  const lines: RetailLine[] = [];
  const positions = new Map<string, number>();
  for (const record of readCsvRecords(csv)) {
    const invoiceNo = record.InvoiceNo ?? '';
    const customer = CUSTOMER_ID.exec(record.CustomerID ?? '');
    const quantity = record.Quantity ?? '';
    const price = record.UnitPrice ?? '';
    if (!invoiceNo || !customer) throw new Error(`transactions.csv: line of invoice ${invoiceNo} lacks a CustomerID`);
    if (!INTEGER.test(quantity) || !DECIMAL.test(price)) throw new Error(`transactions.csv: invoice ${invoiceNo} has a bad Quantity or UnitPrice`);
    const lineInInvoice = (positions.get(invoiceNo) ?? 0) + 1;
    positions.set(invoiceNo, lineInInvoice);
    lines.push({
      invoiceNo,
      lineInInvoice,
      stockCode: record.StockCode ?? '',
      description: (record.Description ?? '').trim(),
      quantity: Number(quantity),
      invoiceDate: parseRetailDate(record.InvoiceDate ?? ''),
      unitPrice: Number(price),
      customerId: customer[1] as string,
      country: record.Country ?? '',
    });
  }
  return lines;
}

export async function readRetail(dataDir: string): Promise<RetailLine[]> {
  return parseRetailTransactions(await readFile(join(dataDir, RETAIL_FILE), 'utf8'));
}
