import { ClientError } from '@serendip/client';
import { useCallback, useEffect, useState } from 'react';

/** The hash after `#/`, split into its path segments and query: routes never reload the page. */
export interface Location {
  segments: string[];
  params: URLSearchParams;
}

function readLocation(): Location {
  const [path = '', query = ''] = window.location.hash.replace(/^#\/?/, '').split('?');
  return { segments: path.split('/').filter((segment) => segment !== ''), params: new URLSearchParams(query) };
}

export function useLocation(): Location {
  const [location, setLocation] = useState(readLocation);
  useEffect(() => {
    const onChange = () => setLocation(readLocation());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return location;
}

/** What a merchant can act on: the gateway's coded message, or that it cannot be reached. */
export const describe = (error: unknown): string => (error instanceof ClientError ? error.message : 'The platform cannot be reached; try again shortly.');

export interface QueryState<T> {
  data: T | null;
  error: string | null;
  /** Runs the query again (after a mutation it depends on), keeping the data shown until the answer. */
  reload: () => void;
}

/**
 * A query's state, run again whenever `deps` change (showing nothing until the new answer, so data of
 * the previous category or period is never shown as this one's) or `reload` is called (keeping the
 * data shown until the answer).
 */
export function useQuery<T>(run: () => Promise<T>, deps: readonly unknown[]): QueryState<T> {
  const key = JSON.stringify(deps);
  const [state, setState] = useState<{ key: string; data: T | null; error: string | null }>({ key, data: null, error: null });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let live = true;
    run().then(
      (data) => live && setState({ key, data, error: null }),
      (error: unknown) => live && setState({ key, data: null, error: describe(error) }),
    );
    return () => {
      live = false;
    };
    // The caller names what the query depends on: `run` is a new closure every render.
  }, [key, generation]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return state.key === key ? { data: state.data, error: state.error, reload } : { data: null, error: null, reload };
}

/** A form's text field by name ('' when absent): text inputs give strings, and these forms have no file inputs. */
export function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

export const percent = (share: number | null | undefined, digits = 1): string => (typeof share === 'number' ? `${(share * 100).toFixed(digits)}%` : '–');
export const decimal = (value: number | null | undefined, digits = 3): string => (typeof value === 'number' ? value.toFixed(digits) : '–');
/** A p-value as a reader compares it with a significance level. */
export const pValue = (p: number): string => (p < 0.001 ? '< 0.001' : `= ${p.toFixed(3)}`);
export const dateTime = (iso: string | null | undefined): string => (iso ? new Date(iso).toLocaleString('en-GB', { timeZone: 'UTC' }) + ' UTC' : '–');
