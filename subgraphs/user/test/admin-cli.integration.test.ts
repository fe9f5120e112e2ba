import { join } from 'node:path';
import { createTestDatabases, dropTestDatabases, runTsCommand, testEnv } from '@serendip/testing';
import type { DataSource } from 'typeorm';
import { openUserDataSource } from '../src/app';
import { loadUserConfig } from '../src/config';
import { UserStore } from '../src/user/user.store';

const env = testEnv();
const config = loadUserConfig(env);
let dataSource: DataSource;

beforeAll(async () => {
  await createTestDatabases(config, ['user']);
  ({ dataSource } = await openUserDataSource(config));
  await new UserStore(dataSource).upsertShoppers([{ email: 'ops@example.com', displayName: 'Ops', locale: 'en' }]);
});

afterAll(async () => {
  await dataSource.destroy();
  await dropTestDatabases(config, ['user']);
});

/** Runs the command as `pnpm admin:*` does, on this file's throwaway database. */
const admin = (...args: string[]) => runTsCommand(join(__dirname, '..', 'src', 'admin-cli.ts'), args, env);

const rolesOf = async (email: string) => (await dataSource.query<{ roles: string }[]>('SELECT roles FROM `user` WHERE email = ?', [email]))[0]?.roles;

// Each test starts the command as its own process (tsx compiles it at each start), several times: on a
// busy 2-core machine one start took over 10 s, so the time allowed is generous.
describe('pnpm admin:grant / admin:revoke / admin:list', () => {
  it('refuses bad usage with 64 and a usage line, touching nothing', async () => {
    for (const args of [['grant'], ['promote', 'ops@example.com']]) {
      const run = await admin(...args);
      expect({ args, code: run.code }).toEqual({ args, code: 64 });
      expect(run.err).toMatch(/^usage: pnpm admin:grant EMAIL/);
    }
    expect(await rolesOf('ops@example.com')).toBe('shopper');
  }, 90_000);

  it('exits 67 when no account has the email, writing nothing', async () => {
    const before = await dataSource.query('SELECT COUNT(*) AS n FROM `user`');
    const run = await admin('grant', 'nobody@example.com');
    expect(run.code).toBe(67);
    expect(run.err).toMatch(/No account has the email nobody@example.com; they sign up first/);
    expect(await dataSource.query('SELECT COUNT(*) AS n FROM `user`')).toEqual(before);
  }, 90_000);

  it('grants, says so, lists, and revokes', async () => {
    const granted = await admin('grant', 'Ops@Example.com');
    expect(granted.code).toBe(0);
    expect(granted.out).toMatch(new RegExp(`user database ${env.MYSQL_DATABASE_PREFIX}_user on `));
    expect(granted.out).toMatch(/ops@example.com \([0-9a-f-]{36}\) is now an admin; their tokens are revoked and the next refresh carries the role/);
    expect(await rolesOf('ops@example.com')).toBe('shopper,admin');

    const listed = await admin('list');
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^ops@example.com\t/m);
    expect(listed.out).toMatch(/1 admin$/m);

    const revoked = await admin('revoke', 'ops@example.com');
    expect(revoked.code).toBe(0);
    expect(revoked.out).toMatch(/is no longer an admin; their tokens are revoked and the next refresh lacks the role/);
    expect(await rolesOf('ops@example.com')).toBe('shopper');
  }, 90_000);
});
