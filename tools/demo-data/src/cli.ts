/**
 * `tsx tools/demo-data/src/cli.ts [--profile demo|full] [--if-empty]`: imports the shared data
 * sets into the subgraph databases, with a progress bar per stage on stderr and a table of counts
 * on stdout. Exit codes: 0 done (or skipped), 1 failure, 2 bad arguments or missing data,
 * 78 bad configuration.
 */
import { ConfigError } from '@serendip/config';
import { loadDemoDataConfig } from './config';
import { DataDirectoryError, importDemoData, type ImportProgress, type ImportResult, type ImportStage, type KindCounts } from './import';
import { isProfile, PROFILES, type Profile } from './profile';
import { formatDuration, ProgressBar } from './progress-bar';

const USAGE = `usage: tsx tools/demo-data/src/cli.ts [--profile ${PROFILES.join('|')}] [--if-empty]
  --profile   demo (default): a capped import that starts fast; full: every record
  --if-empty  do nothing when the catalogue already has products
Environment: SERENDIP_DATA_DIR (default <repo>/../shared/data), MYSQL_HOST, MYSQL_PORT,
MYSQL_DATABASE_PREFIX (default serendip), USER_DB_PASSWORD, CATALOGUE_DB_PASSWORD,
RECOMMENDATION_DB_PASSWORD, FEEDBACK_DB_PASSWORD (derived outside production). The databases and
their accounts must exist: pnpm db:setup (npm start runs it).`;

export interface CliArguments {
  profile: Profile;
  ifEmpty: boolean;
  help: boolean;
}

export class UsageError extends Error {}

export function parseArguments(argv: readonly string[]): CliArguments {
  const parsed: CliArguments = { profile: 'demo', ifEmpty: false, help: false };
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    if (arg === '--help' || arg === '-h') parsed.help = true;
    else if (arg === '--if-empty') parsed.ifEmpty = true;
    else if (arg === '--profile' || arg.startsWith('--profile=')) {
      const value = arg === '--profile' ? argv[(index += 1)] : arg.slice('--profile='.length);
      if (value === undefined || !isProfile(value)) throw new UsageError(`--profile must be one of ${PROFILES.join(', ')}`);
      parsed.profile = value;
    } else throw new UsageError(`unknown argument ${arg}`);
  }
  return parsed;
}

const KINDS: readonly (keyof KindCounts)[] = ['categories', 'products', 'shoppers', 'events', 'reviews'];

/** The final report: what this run wrote per kind and what the databases now hold. */
export function formatSummary(result: ImportResult, seconds: number): string {
  const header = ['kind', 'planned', 'new', 'in database'];
  const rows = [header];
  for (const kind of KINDS) {
    const added = kind === 'events' || kind === 'reviews' ? String(result.added[kind]) : '-';
    rows.push([kind, String(result.planned[kind]), added, String(result.totals[kind])]);
  }
  const widths = header.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const table = rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[0] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  '));
  const skipped = Object.entries(result.skippedRows).map(([reason, n]) => `  left out: ${reason}: ${n}`);
  return [`demo data (${result.profile} profile) in ${formatDuration(seconds)}`, ...table, ...skipped].join('\n');
}

function progressReporter(): (progress: ImportProgress) => void {
  const bars = new Map<ImportStage, ProgressBar>();
  return ({ stage, done, total }) => {
    let bar = bars.get(stage);
    if (!bar) {
      bar = new ProgressBar(stage, total);
      bars.set(stage, bar);
    }
    bar.update(done, total);
  };
}

export async function main(argv: readonly string[]): Promise<number> {
  let args: CliArguments;
  try {
    args = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.info(USAGE);
    return 0;
  }
  try {
    const config = loadDemoDataConfig();
    const started = Date.now();
    const result = await importDemoData({
      config,
      dataDir: config.SERENDIP_DATA_DIR,
      profile: args.profile,
      ifEmpty: args.ifEmpty,
      onProgress: progressReporter(),
    });
    if (result.skipped) {
      console.info(`demo data: skipped, the catalogue already has ${result.totals.products} products (--if-empty)`);
      return 0;
    }
    console.info(formatSummary(result, (Date.now() - started) / 1000));
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 78;
    }
    if (error instanceof DataDirectoryError) {
      console.error(`demo-data: ${error.message}`);
      return 2;
    }
    console.error('demo-data: import failed:', error instanceof Error ? (error.stack ?? error.message) : error);
    return 1;
  }
}

if (require.main === module) {
  // main answers every failure with an exit code, so nothing is left to catch.
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
