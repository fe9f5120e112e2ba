import type { Role } from '@serendip/federation';
import { randomUUID } from 'node:crypto';
import { In, type DataSource, type Repository } from 'typeorm';
import { UserEntity } from './user.entity';

export interface ImportedShopper {
  email: string;
  displayName: string;
  locale: string;
}

const CHUNK = 1000;

/**
 * Accounts by email and their roles (admin roles, `src/admin/`), and bulk writes for the demo-data
 * importer. Imported shoppers have no password (they cannot sign in); re-running the import finds
 * them by email and keeps their ids.
 */
export class UserStore {
  private readonly repo: Repository<UserEntity>;

  constructor(dataSource: DataSource) {
    this.repo = dataSource.getRepository(UserEntity);
  }

  /** `email` as stored: trimmed and lower-cased (`normaliseEmail`). */
  findByEmail(email: string): Promise<UserEntity | null> {
    return this.repo.findOneBy({ email });
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** Also raises the token version in the same write, so no token issued with the old roles stays good. */
  async setRoles(id: string, roles: Role[]): Promise<void> {
    await this.repo.update({ id }, { roles: roles.join(','), tokenVersion: () => 'token_version + 1' });
  }

  /** Every account with the admin role, oldest first. */
  listAdmins(): Promise<UserEntity[]> {
    return this.repo
      .createQueryBuilder('account')
      .where("FIND_IN_SET('admin', account.roles) > 0")
      .orderBy('account.createdAt')
      .addOrderBy('account.id')
      .getMany();
  }

  async upsertShoppers(rows: ImportedShopper[]): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    for (let start = 0; start < rows.length; start += CHUNK) {
      const chunk = rows.slice(start, start + CHUNK).map((row) => ({ ...row, email: row.email.toLowerCase() }));
      const now = new Date();
      await this.repo
        .createQueryBuilder()
        .insert()
        .values(
          chunk.map((row) => ({
            id: randomUUID(),
            email: row.email,
            displayName: row.displayName,
            locale: row.locale,
            roles: 'shopper',
            passwordHash: null,
            personalisationConsent: true,
            consentUpdatedAt: now,
          })),
        )
        .orIgnore()
        .execute();
      const saved = await this.repo.find({ select: { id: true, email: true }, where: { email: In(chunk.map((row) => row.email)) } });
      for (const user of saved) ids.set(user.email, user.id);
    }
    return ids;
  }

  countUsers(): Promise<number> {
    return this.repo.count();
  }
}
