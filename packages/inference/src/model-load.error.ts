/**
 * A model that cannot be loaded, with every problem found, so an operator fixes a deployment in
 * one pass instead of rediscovering one missing file per restart.
 */
export class ModelLoadError extends Error {
  constructor(
    readonly model: string,
    readonly folder: string,
    readonly problems: string[],
  ) {
    super(`model "${model}" (${folder}) cannot be loaded:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ModelLoadError';
  }
}
