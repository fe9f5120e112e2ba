/**
 * Writes or checks the committed schema artefacts: each subgraph's SDL
 * (`subgraphs/<name>/schema.graphql`), the composed `gateway/supergraph.graphql`, the API schema,
 * the trusted-document manifest and the typed client (`packages/client/src/generated`).
 *   pnpm schema:write   regenerate after changing a resolver or type
 *   pnpm schema:check   fail when the committed files differ from what the code produces
 */
import { generateSchemaArtefacts } from './schema-artefacts';

async function main(mode: string | undefined): Promise<void> {
  if (mode !== 'write' && mode !== 'check') {
    console.error('usage: tsx scripts/schema.ts write|check');
    process.exit(2);
  }
  const artefacts = await generateSchemaArtefacts();
  const stale = artefacts.filter((artefact) => artefact.committed !== artefact.generated);
  if (mode === 'write') {
    for (const artefact of stale) artefact.write();
    console.info(stale.length ? `updated ${stale.map((a) => a.path).join(', ')}` : 'schema artefacts are up to date');
    return;
  }
  if (stale.length) {
    console.error(`out of date: ${stale.map((a) => a.path).join(', ')}\nrun: pnpm schema:write`);
    process.exit(1);
  }
  console.info('schema artefacts are up to date');
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
