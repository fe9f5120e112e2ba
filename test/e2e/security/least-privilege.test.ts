import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { signIdentity, type Identity, type SubgraphName } from '@serendip/federation';
import { errorCodes, postGraphQL, type GraphQLResponse } from '@serendip/testing';
import { admin, gatewayClient, signUp } from '../../support/gateway';
import { readStack } from '../../support/stack-env';
import { stackDatabase, stackSql } from '../../support/stack-sql';

const OWNERS = ['user', 'catalogue', 'recommendation', 'feedback'] as const;
type Owner = (typeof OWNERS)[number];

const { env } = readStack();
const run = Date.now().toString(36);

/** A connection as a subgraph's own database account, with the password its processes were given. */
function asSubgraph(owner: Owner): Promise<Connection> {
  return createConnection({
    host: env.MYSQL_HOST ?? '127.0.0.1',
    port: Number(env.MYSQL_PORT ?? 3306),
    user: `${env.MYSQL_DATABASE_PREFIX}_${owner}`,
    password: env[`${owner.toUpperCase()}_DB_PASSWORD`],
    database: `${env.MYSQL_DATABASE_PREFIX}_${owner}`,
  });
}

/** The SQL error code a statement fails with, or null if it succeeds. */
async function refusal(connection: Connection, sql: string, values: unknown[] = []): Promise<string | null> {
  return connection.query(sql, values).then(
    () => null,
    (error: { code?: string }) => error.code ?? 'UNKNOWN',
  );
}

async function count(sql: string, values: unknown[] = []): Promise<number> {
  const admin = await stackSql();
  try {
    const [rows] = await admin.query<RowDataPacket[]>(sql, values);
    return Number(rows[0]!.n);
  } finally {
    await admin.end();
  }
}

const ok = <T>(response: GraphQLResponse<T>): T => {
  if (!response.data || response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data;
};

describe('one database account per subgraph, limited to its own database (issue 18, item 8)', () => {
  it("lets the catalogue's account read its own tables but not the user database's, nor write there, nor create databases or accounts", async () => {
    const catalogue = await asSubgraph('catalogue');
    try {
      expect(await refusal(catalogue, 'SELECT COUNT(*) FROM category')).toBeNull();
      expect(await refusal(catalogue, `SELECT email FROM ${stackDatabase('user')}.\`user\``)).toBe('ER_TABLEACCESS_DENIED_ERROR');
      expect(await refusal(catalogue, `USE ${stackDatabase('user')}`)).toBe('ER_DBACCESS_DENIED_ERROR');
      expect(await refusal(catalogue, `INSERT INTO ${stackDatabase('user')}.\`user\` (id, email) VALUES (UUID(), 'intruder@e2e.serendip.test')`)).toBe(
        'ER_TABLEACCESS_DENIED_ERROR',
      );
      expect(await refusal(catalogue, `CREATE DATABASE \`${env.MYSQL_DATABASE_PREFIX}_intruder\``)).toBe('ER_DBACCESS_DENIED_ERROR');
      expect(await refusal(catalogue, "CREATE USER 'intruder'@'%' IDENTIFIED BY 'intruder-password'")).toBe('ER_SPECIFIC_ACCESS_DENIED_ERROR');
      expect(await refusal(catalogue, `GRANT SELECT ON ${stackDatabase('user')}.* TO CURRENT_USER()`)).not.toBeNull();
    } finally {
      await catalogue.end();
    }
    expect(await count(`SELECT COUNT(*) AS n FROM ${stackDatabase('user')}.\`user\` WHERE email = 'intruder@e2e.serendip.test'`)).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [`${env.MYSQL_DATABASE_PREFIX}_intruder`])).toBe(0);
    expect(await count("SELECT COUNT(*) AS n FROM mysql.user WHERE User = 'intruder'")).toBe(0);
  });

  it("gives no subgraph's account any other subgraph's database", async () => {
    for (const owner of OWNERS) {
      const connection = await asSubgraph(owner);
      try {
        for (const other of OWNERS.filter((name) => name !== owner)) {
          expect({ owner, other, refused: await refusal(connection, `SHOW TABLES FROM ${stackDatabase(other)}`) }).toEqual({
            owner,
            other,
            refused: 'ER_DBACCESS_DENIED_ERROR',
          });
        }
      } finally {
        await connection.end();
      }
    }
  });

  it("has every running process on a subgraph's database connected as that subgraph's account", async () => {
    const sql = await stackSql();
    try {
      const [rows] = await sql.query<RowDataPacket[]>('SELECT DISTINCT USER AS user, DB AS db FROM information_schema.PROCESSLIST WHERE DB LIKE ?', [
        `${env.MYSQL_DATABASE_PREFIX}\\_%`,
      ]);
      const seen = rows.map((row) => ({ user: String(row.user), db: String(row.db) }));
      expect(seen.length).toBeGreaterThan(0);
      for (const row of seen) expect(row).toEqual({ user: row.db, db: row.db });
    } finally {
      await sql.end();
    }
  });
});

describe("exposure: a review's author, text-direction tricks (issue 18, item 8)", () => {
  let productId: string;
  let author: Awaited<ReturnType<typeof signUp>>;

  beforeAll(async () => {
    const shop = await admin();
    const category = ok(
      await shop.call<{ createCategory: { id: string } }>('mutation ($name: String!) { createCategory(input: { name: $name }) { id } }', {
        name: `Kettles ${run}`,
      }),
    );
    const product = ok(
      await shop.call<{ createProduct: { id: string } }>('mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }', {
        input: { sku: `E2E-PRIV-${run}`, title: 'Whistling kettle', categoryId: category.createCategory.id, price: 30, currency: 'EUR', tags: [] },
      }),
    );
    productId = product.createProduct.id;
    author = await signUp();
    ok(
      await author.call('mutation ($input: SubmitReviewInput!) { submitReview(input: $input) { id } }', {
        input: { productId, rating: 4, text: 'Loud whistle, boils fast.' },
      }),
    );
  });

  const AUTHORS = 'query ($id: ID!) { product(id: $id) { reviews { nodes { author { id displayName roles } } } } }';

  it("shows a review's author to anyone but their roles to no one else: anonymous UNAUTHENTICATED, another shopper FORBIDDEN", async () => {
    const anonymous = await gatewayClient()(AUTHORS, { id: productId });
    expect(new Set(errorCodes(anonymous))).toEqual(new Set(['UNAUTHENTICATED']));
    const stranger = await (await signUp()).call(AUTHORS, { id: productId });
    expect(new Set(errorCodes(stranger))).toEqual(new Set(['FORBIDDEN']));
    for (const response of [anonymous, stranger]) expect(JSON.stringify(response.data)).not.toMatch(/shopper|admin/);
    // Without roles the author is there for everyone, as before.
    const names = await gatewayClient()<{ product: { reviews: { nodes: { author: { id: string } }[] } } }>(
      'query ($id: ID!) { product(id: $id) { reviews { nodes { author { id displayName } } } } }',
      { id: productId },
    );
    expect(ok(names).product.reviews.nodes.map((node) => node.author.id)).toEqual([author.userId]);
    // And the author still reads their own.
    expect(ok(await author.call<{ me: { roles: string[] } }>('{ me { roles } }')).me.roles).toEqual(['shopper']);
  });

  it('refuses a display name with a right-to-left override, creating no account', async () => {
    const email = `rlo-${run}@e2e.serendip.test`;
    const response = await gatewayClient()('mutation ($input: SignUpInput!) { signUp(input: $input) { token } }', {
      input: { email, password: 'e2e-password', displayName: 'Support\u202Enimda' },
    });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.extensions).toMatchObject({ field: 'displayName' });
    expect(await count(`SELECT COUNT(*) AS n FROM ${stackDatabase('user')}.\`user\` WHERE email = ?`, [email])).toBe(0);
  });

  it('refuses a review with a right-to-left override or an escape sequence, writing no review', async () => {
    const reviewer = await signUp();
    for (const text of ['Great kettle \u202Eelbaliava ton\u202C', 'Fine\u001B[2J kettle']) {
      const response = await reviewer.call('mutation ($input: SubmitReviewInput!) { submitReview(input: $input) { id } }', {
        input: { productId, rating: 5, text },
      });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0]!.extensions).toMatchObject({ field: 'text' });
    }
    expect(await count(`SELECT COUNT(*) AS n FROM ${stackDatabase('feedback')}.review WHERE user_id = ?`, [reviewer.userId])).toBe(0);
    // Line breaks are text, not tricks.
    ok(
      await reviewer.call('mutation ($input: SubmitReviewInput!) { submitReview(input: $input) { id } }', {
        input: { productId, rating: 5, text: 'Great kettle.\nQuiet too.' },
      }),
    );
  });
});

describe('identities for one subgraph, and service identities that are not admins (issue 18, item 8)', () => {
  const stack = readStack();
  const GATEWAY_SECRET = stack.env.GATEWAY_SECRET!;
  const CREATE_CATEGORY = 'mutation ($name: String!) { createCategory(input: { name: $name }) { id } }';
  const categoriesNamed = async (name: string): Promise<number> => {
    const sql = await stackSql();
    try {
      const [rows] = await sql.query<({ n: number } & RowDataPacket)[]>(`SELECT COUNT(*) AS n FROM ${stackDatabase('catalogue')}.category WHERE name = ?`, [
        name,
      ]);
      return Number(rows[0]!.n);
    } finally {
      await sql.end();
    }
  };
  const asIdentity = (identity: Identity, audience: SubgraphName) => ({ 'x-serendip-identity': signIdentity(GATEWAY_SECRET, identity, audience) });

  it('refuses an admin identity captured on its way to another subgraph: no write', async () => {
    const { userId } = await admin();
    const forUser = asIdentity({ userId, roles: ['shopper', 'admin'] }, 'user');
    const name = `Replayed to the catalogue ${Date.now()}`;
    const replayed = await postGraphQL(stack.subgraphUrls.catalogue, CREATE_CATEGORY, { name }, forUser);
    expect({ status: replayed.status, codes: errorCodes(replayed) }).toEqual({ status: 401, codes: ['UNAUTHENTICATED'] });
    expect(await categoriesNamed(name)).toBe(0);
    // The same identity signed for the catalogue is what the gateway sends, and works.
    expect(
      (await postGraphQL(stack.subgraphUrls.catalogue, CREATE_CATEGORY, { name }, asIdentity({ userId, roles: ['shopper', 'admin'] }, 'catalogue'))).errors,
    ).toBeUndefined();
    expect(await categoriesNamed(name)).toBe(1);
  });

  it('gives a service identity no admin field, and an admin identity no service-only field', async () => {
    const service = asIdentity({ userId: null, roles: ['service'], service: 'recommendation' }, 'catalogue');
    const name = `Created by a service ${Date.now()}`;
    expect(errorCodes(await postGraphQL(stack.subgraphUrls.catalogue, CREATE_CATEGORY, { name }, service))).toEqual(['UNAUTHENTICATED']);
    expect(await categoriesNamed(name)).toBe(0);

    const { userId } = await admin();
    const feed = '{ productVectorFeed(first: 1) { hasNextPage } }';
    const asAdmin = asIdentity({ userId, roles: ['shopper', 'admin'] }, 'catalogue');
    expect(errorCodes(await postGraphQL(stack.subgraphUrls.catalogue, feed, {}, asAdmin))).toEqual(['FORBIDDEN']);
    expect((await postGraphQL(stack.subgraphUrls.catalogue, feed, {}, service)).errors).toBeUndefined();
  });
});
