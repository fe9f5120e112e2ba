import { postGraphQL, errorCodes } from '@serendip/testing';
import { startGateway } from '../src/app';
import { loadGatewayConfig } from '../src/config';

// Introspection and the Sandbox page are decided by the gateway alone, before any subgraph is
// called, so these run without subgraphs behind it.
async function withGateway(env: Record<string, string>, check: (url: string) => Promise<void>) {
  const gateway = await startGateway(loadGatewayConfig({ GATEWAY_PORT: '0', LOG_LEVEL: 'error', ...env }));
  try {
    await check(gateway.url);
  } finally {
    await gateway.stop();
  }
}

const INTROSPECTION = '{ __schema { queryType { name } } }';

describe('gateway modes', () => {
  it('development: introspection and an Apollo Sandbox page', async () => {
    await withGateway({ NODE_ENV: 'development' }, async (url) => {
      const schema = await postGraphQL<{ __schema: { queryType: { name: string } } }>(url, INTROSPECTION);
      expect(schema.data?.__schema.queryType.name).toBe('Query');
      const page = await fetch(url, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('EmbeddedSandbox');
      expect(html).toContain('x-serendip-csrf');
    });
  });

  it('production: no introspection, no Sandbox page, and the development secrets refused', async () => {
    expect(() => loadGatewayConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET|GATEWAY_SECRET/);
    const secrets = { JWT_SECRET: 'j'.repeat(40), GATEWAY_SECRET: 'g'.repeat(40) };
    await withGateway({ NODE_ENV: 'production', ...secrets }, async (url) => {
      const schema = await postGraphQL(url, INTROSPECTION);
      expect(schema.data ?? null).toBeNull();
      expect(new Set(errorCodes(schema))).toEqual(new Set(['GRAPHQL_VALIDATION_FAILED']));
      expect(schema.errors![0]!.message).toMatch(/introspection/i);
      const page = await fetch(url, { headers: { accept: 'text/html', 'x-serendip-csrf': '1' } });
      expect(await page.text()).not.toContain('EmbeddedSandbox');
    });
  });

  it('codes parse errors, including the token limit', async () => {
    await withGateway({ NODE_ENV: 'development', MAX_TOKENS: '50' }, async (url) => {
      expect(errorCodes(await postGraphQL(url, '{ me { id '))).toEqual(['GRAPHQL_PARSE_FAILED']);
      const long = `{ ${Array.from({ length: 40 }, (_, index) => `a${index}: __typename`).join(' ')} }`;
      const limited = await postGraphQL(url, long);
      expect(errorCodes(limited)).toEqual(['GRAPHQL_PARSE_FAILED']);
      expect(limited.errors![0]!.message).toMatch(/token limit/i);
    });
  });
});
