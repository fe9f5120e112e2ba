/** Raised when the environment does not satisfy a process's config schema. */
export class ConfigError extends Error {
  constructor(
    readonly processName: string,
    readonly problems: string[],
  ) {
    super(`${processName}: invalid configuration\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}
