/**
 * What every evaluation script shares: where the data sets are, and how results are printed and
 * charted (tables on stdout, SVG text escaped, figures rounded for the closing JSON line).
 */
import path from 'node:path';
import { formatColumns, z } from '@serendip/config';

/** The data folder (`SERENDIP_DATA_DIR`), read at run time: data sets are never copied into the repo. */
export const dataDirEnv = {
  SERENDIP_DATA_DIR: z.string().default(path.resolve(__dirname, '../../../shared/data')),
};

export const percent = (value: number): string => (value * 100).toFixed(1);

/** A table on stdout: the first column left-aligned, the others right-aligned. */
export function printColumns(header: string[], lines: string[][]): void {
  console.log(formatColumns(header, lines));
}

export const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const round = (value: number): number => Number(value.toFixed(4));
