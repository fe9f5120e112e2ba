const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LEVELS)[number];

export type Logger = Record<LogLevel, (message: string) => void>;

/** Level-filtered console lines prefixed with the process name, as the other processes print them. */
export function createLogger(name: string, level: LogLevel): Logger {
  const threshold = LEVELS.indexOf(level);
  const at =
    (severity: LogLevel) =>
    (message: string): void => {
      if (LEVELS.indexOf(severity) < threshold) return;
      const write = severity === 'error' ? console.error : severity === 'warn' ? console.warn : console.info;
      write(`[${name}] ${message}`);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
