/**
 * On SIGINT or SIGTERM: says `<who>: <signal>, <doing>…` on stderr, runs `cleanup` and exits 130,
 * so an interrupted bench or evaluation leaves no processes or throwaway databases behind. Returns
 * the function that removes the handlers, for when the run cleans up by itself.
 */
export function cleanUpOnSignal(cleanup: () => Promise<void>, who: string, doing: string): () => void {
  const interrupted = (signal: NodeJS.Signals) => {
    console.error(`${who}: ${signal}, ${doing}…`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  return () => {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  };
}
