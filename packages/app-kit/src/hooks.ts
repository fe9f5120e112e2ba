import { useCallback, useEffect, useState } from 'react';
import { describeError } from './browser';

/** The location hash read through `parse`, kept up to date: routes live in the hash, so moving between pages never reloads one. */
export function useHash<T>(parse: (hash: string) => T): T {
  const [value, setValue] = useState(() => parse(window.location.hash));
  useEffect(() => {
    const onChange = () => setValue(parse(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, [parse]);
  return value;
}

export interface QueryState<T> {
  data: T | null;
  error: string | null;
  /** Runs the query again (after a mutation it depends on), keeping the data shown until the answer. */
  reload: () => void;
}

/**
 * A query's state, run again whenever `deps` change (showing nothing until the new answer, so data
 * of the previous product or period is never shown as this one's) or `reload` is called (keeping
 * the data shown until the answer).
 */
export function useQuery<T>(run: () => Promise<T>, deps: readonly unknown[]): QueryState<T> {
  const key = JSON.stringify(deps);
  const [state, setState] = useState<{ key: string; data: T | null; error: string | null }>({ key, data: null, error: null });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let live = true;
    run().then(
      (data) => live && setState({ key, data, error: null }),
      (error: unknown) => live && setState((previous) => ({ key, data: previous.key === key ? previous.data : null, error: describeError(error) })),
    );
    return () => {
      live = false;
    };
    // The caller names what the query depends on: `run` is a new closure every render.
  }, [key, generation]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return state.key === key ? { data: state.data, error: state.error, reload } : { data: null, error: null, reload };
}
