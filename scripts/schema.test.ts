import { generateSchemaArtefacts } from './schema-artefacts';

describe('committed schema artefacts', () => {
  it('compose without errors and match what the code produces', async () => {
    const artefacts = await generateSchemaArtefacts();
    expect(artefacts.map((artefact) => artefact.path)).toContain('gateway/supergraph.graphql');
    for (const artefact of artefacts) {
      // A mismatch means a resolver or type changed without `pnpm schema:write`.
      expect({ path: artefact.path, content: artefact.committed }).toEqual({ path: artefact.path, content: artefact.generated });
    }
  });
});
