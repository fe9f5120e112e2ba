import { useCallback, useEffect, useState } from 'react';
import { describe } from './api';

export interface QueryState<T> {
  data: T | null;
  error: string | null;
  /** Runs the query again, keeping what is shown until the new answer arrives. */
  reload: () => void;
}

/** A query's state: loading, its data, or the error's message (with its code, which is what a shopper can act on). */
export function useQuery<T>(run: () => Promise<T>, deps: readonly unknown[]): QueryState<T> {
  const [state, setState] = useState<{ data: T | null; error: string | null }>({ data: null, error: null });
  const [version, setVersion] = useState(0);
  // A change of what the query depends on shows "loading"; a reload of the same one does not.
  useEffect(() => setState({ data: null, error: null }), deps);
  useEffect(() => {
    let live = true;
    run().then(
      (data) => live && setState({ data, error: null }),
      (error: unknown) => live && setState((previous) => ({ data: previous.data, error: describe(error) })),
    );
    return () => {
      live = false;
    };
    // The caller names what the query depends on: `run` is a new closure every render.
  }, [...deps, version]);
  const reload = useCallback(() => setVersion((previous) => previous + 1), []);
  return { ...state, reload };
}
