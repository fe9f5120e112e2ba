/** Reads until `done` holds (every 200 ms), failing with the last value read after `ms`: for state another process reaches in its own time. */
export const waitFor = async <T>(what: string, read: () => Promise<T>, done: (value: T) => boolean | Promise<boolean>, ms = 20_000): Promise<T> => {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (await done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} not reached after ${ms} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};
