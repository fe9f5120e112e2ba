/**
 * The operator's command for admin roles, straight on the user database (the platform need not run):
 *
 *   pnpm admin:grant EMAIL    makes the account with this email an admin
 *   pnpm admin:revoke EMAIL   takes the role away
 *   pnpm admin:list           lists the admins
 *
 * It reads the user subgraph's database settings (MYSQL_HOST, MYSQL_DATABASE_PREFIX,
 * USER_DB_PASSWORD, …) and connects as its account, and REDIS_URL with QUEUE_PREFIX, where it
 * revokes the account's tokens so a change takes effect at once. Exit codes (sysexits.h): 0 done
 * or nothing to change, 64 bad usage or not an email address, 67 no account has the email, 78 bad
 * configuration, 1 anything else (the database or Redis did not answer).
 */
import { ConfigError, loadConfig, z } from '@serendip/config';
import { databaseName } from '@serendip/db';
import { AppError, ErrorCode } from '@serendip/federation';
import { adminRolesEnv, withAdminRoles } from './app';

const EX_USAGE = 64;
const EX_NOUSER = 67;
const EX_CONFIG = 78;

type Command = { action: 'grant' | 'revoke'; email: string } | { action: 'list' };

function parseCommand(args: string[]): Command | null {
  const [action, email] = args;
  if ((action === 'grant' || action === 'revoke') && email !== undefined && args.length === 2) return { action, email };
  if (action === 'list' && args.length === 1) return { action };
  return null;
}

async function run(command: Command, name: string): Promise<number> {
  const settings = loadConfig(name, z.object(adminRolesEnv));
  console.info(`${name}: user database ${databaseName(settings, 'user')} on ${settings.MYSQL_HOST}:${settings.MYSQL_PORT}`);
  return withAdminRoles(settings, async (roles) => {
    switch (command.action) {
      case 'list': {
        const admins = await roles.list();
        for (const admin of admins) console.info(`${admin.email}\t${admin.id}\tsigned up ${admin.createdAt.toISOString()}`);
        console.info(`${name}: ${admins.length} admin${admins.length === 1 ? '' : 's'}`);
        return 0;
      }
      case 'grant': {
        const { user, changed } = await roles.grant(command.email);
        console.info(
          changed
            ? `${name}: ${user.email} (${user.id}) is now an admin; their tokens are revoked and the next refresh carries the role`
            : `${name}: ${user.email} is already an admin; nothing changed`,
        );
        return 0;
      }
      case 'revoke': {
        const { user, changed } = await roles.revoke(command.email);
        console.info(
          changed
            ? `${name}: ${user.email} (${user.id}) is no longer an admin; their tokens are revoked and the next refresh lacks the role`
            : `${name}: ${user.email} is not an admin; nothing changed`,
        );
        return 0;
      }
    }
  });
}

async function main(args: string[]): Promise<number> {
  const command = parseCommand(args);
  if (!command) {
    console.error('usage: pnpm admin:grant EMAIL | pnpm admin:revoke EMAIL | pnpm admin:list');
    return EX_USAGE;
  }
  const name = `admin:${command.action}`;
  try {
    return await run(command, name);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return EX_CONFIG;
    }
    if (error instanceof AppError && error.code === ErrorCode.NotFound) {
      console.error(`${name}: ${error.message}; they sign up first, then you grant`);
      return EX_NOUSER;
    }
    if (error instanceof AppError && error.code === ErrorCode.BadUserInput) {
      console.error(`${name}: ${error.message}`);
      return EX_USAGE;
    }
    console.error(`${name}: failed:`, error instanceof Error ? error.message : error);
    return 1;
  }
}

void main(process.argv.slice(2)).then((code) => process.exit(code));
