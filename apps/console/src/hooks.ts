import { textField } from '@serendip/app-kit';

/** The hash after `#/`, split into its path segments and query (useHash's parser). */
export interface Location {
  segments: string[];
  params: URLSearchParams;
}

export function parseLocation(hash: string): Location {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  return { segments: path.split('/').filter((segment) => segment !== ''), params: new URLSearchParams(query) };
}

/** A form's text field without surrounding spaces: what the catalogue and experiment forms store. */
export const field = (form: FormData, name: string): string => textField(form, name).trim();

export const percent = (share: number | null | undefined, digits = 1): string => (typeof share === 'number' ? `${(share * 100).toFixed(digits)}%` : '–');
export const decimal = (value: number | null | undefined, digits = 3): string => (typeof value === 'number' ? value.toFixed(digits) : '–');
/** A p-value as a reader compares it with a significance level. */
export const pValue = (p: number): string => (p < 0.001 ? '< 0.001' : `= ${p.toFixed(3)}`);
export const dateTime = (iso: string | null | undefined): string => (iso ? new Date(iso).toLocaleString('en-GB', { timeZone: 'UTC' }) + ' UTC' : '–');
