import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// docs/architecture.md is where a newcomer looks for where things are; this keeps its layout true.
const root = path.resolve(__dirname, '..');
const doc = readFileSync(path.join(root, 'docs/architecture.md'), 'utf8');
const layout = doc.slice(doc.indexOf('## Layout'), doc.indexOf('\n## ', doc.indexOf('## Layout') + 1));

/** Folders git tracks files in, directly under `dir` (relative to the repo). */
function trackedFolders(dir: string): string[] {
  const files = execFileSync('git', ['ls-files', dir], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
  const prefix = dir === '.' ? '' : `${dir}/`;
  return [
    ...new Set(
      files
        .map((file) => file.slice(prefix.length))
        .filter((rest) => rest.includes('/'))
        .map((rest) => rest.split('/')[0]!),
    ),
  ].sort();
}

/** The lines of the layout's tree block. */
function layoutTree(): string[] {
  const block = /```\n([\s\S]*?)```/.exec(layout);
  if (!block) throw new Error('docs/architecture.md has no layout tree under "## Layout"');
  return block[1]!.split('\n').filter(Boolean);
}

describe('docs/architecture.md layout', () => {
  it('names every top-level folder and every library under packages/, and nothing that is gone', () => {
    const tree = layoutTree();
    const topLevel = tree.filter((line) => !line.startsWith(' ')).map((line) => line.split(/\s+/)[0]!.split('/')[0]!);
    expect([...new Set(topLevel)].sort()).toEqual(trackedFolders('.').filter((folder) => !folder.startsWith('.')));
    const packagesAt = tree.findIndex((line) => line.startsWith('packages/'));
    // The libraries are the indented lines right under packages/.
    const after = tree.slice(packagesAt + 1);
    const end = after.findIndex((line) => !line.startsWith(' '));
    const libraries = after.slice(0, end === -1 ? after.length : end).map((line) => line.trim().split(/\s+/)[0]!.replace(/\/$/, ''));
    expect(libraries.sort()).toEqual(trackedFolders('packages'));
  });

  it.each(['user', 'catalogue', 'recommendation', 'feedback'])("lists the %s subgraph's feature folders as they are", (name) => {
    const row = layout.split('\n').find((line) => line.startsWith(`| ${name} |`));
    if (!row) throw new Error(`docs/architecture.md has no "| ${name} |" row`);
    const listed = [...row.matchAll(/`([a-z-]+)\/`/g)].map((match) => match[1]!);
    const actual = readdirSync(path.join(root, 'subgraphs', name, 'src'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'migrations')
      .map((entry) => entry.name);
    expect([...new Set(listed)].sort()).toEqual(actual.sort());
  });
});
