import { randomUUID } from 'node:crypto';
import { In, type DataSource } from 'typeorm';
import { UserEntity } from './user.entity';

export interface ImportedShopper {
  email: string;
  displayName: string;
  locale: string;
}

const CHUNK = 1000;

/**
 * Bulk writes for the demo-data importer. Imported shoppers have no password (they cannot sign
 * in); re-running the import finds them by email and keeps their ids.
 */
export class UserStore {
  constructor(private readonly dataSource: DataSource) {}

  async upsertShoppers(rows: ImportedShopper[]): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    const repo = this.dataSource.getRepository(UserEntity);
    for (let start = 0; start < rows.length; start += CHUNK) {
      const chunk = rows.slice(start, start + CHUNK).map((row) => ({ ...row, email: row.email.toLowerCase() }));
      const now = new Date();
      await repo
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
      const saved = await repo.find({ select: { id: true, email: true }, where: { email: In(chunk.map((row) => row.email)) } });
      for (const user of saved) ids.set(user.email, user.id);
    }
    return ids;
  }

  countUsers(): Promise<number> {
    return this.dataSource.getRepository(UserEntity).count();
  }
}
