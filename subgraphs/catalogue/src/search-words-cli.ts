/**
 * `pnpm catalogue:search-words`: makes every product's search words (`product.search_tokens`, what
 * Chinese and short-word lexical search read; docs/operations.md "Lexical search without scans")
 * what its title, brand and description give now, rewriting only the products that differ. Run it
 * once a rolling upgrade to the release that brought the words is done (replicas of the release
 * before write products without them), and after any change to how words are cut. It reads the
 * catalogue's database settings (MYSQL_HOST, MYSQL_PORT, MYSQL_DATABASE_PREFIX,
 * CATALOGUE_DB_PASSWORD) and connects as its account, migrating first where needed, so the
 * platform need not be stopped. Progress on stderr, one JSON line on stdout. Exit codes (sysexits.h):
 * 0 done, 64 bad usage, 78 bad configuration, 1 anything else (the database did not answer).
 */
import { commonEnv, ConfigError, databasePasswordEnv, loadConfig, z } from '@serendip/config';
import { databaseName } from '@serendip/db';
import { openCatalogueDataSource } from './data-source';
import { fillSearchTokens } from './product/search-tokens-backfill';

const NAME = 'catalogue:search-words';
const EX_USAGE = 64;
const EX_CONFIG = 78;

async function main(args: string[]): Promise<number> {
  if (args.length > 0) {
    console.error(`usage: pnpm ${NAME} (settings from the environment: MYSQL_HOST, MYSQL_PORT, MYSQL_DATABASE_PREFIX, CATALOGUE_DB_PASSWORD)`);
    return EX_USAGE;
  }
  let settings;
  try {
    settings = loadConfig(NAME, z.object({ ...commonEnv, ...databasePasswordEnv.catalogue }));
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return EX_CONFIG;
    }
    throw error;
  }
  const started = process.hrtime.bigint();
  console.error(`${NAME}: catalogue database ${databaseName(settings, 'catalogue')} on ${settings.MYSQL_HOST}:${settings.MYSQL_PORT}`);
  const { dataSource } = await openCatalogueDataSource(settings);
  try {
    const result = await fillSearchTokens(
      (sql, parameters) => dataSource.query(sql, parameters),
      (products, written) => console.error(`${NAME}: ${products} products read, ${written} rewritten`),
    );
    console.log(JSON.stringify({ ...result, seconds: Number((Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)) }));
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`${NAME}: failed:`, error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
