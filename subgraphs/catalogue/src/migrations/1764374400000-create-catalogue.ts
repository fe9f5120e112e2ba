import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCatalogue1764374400000 implements MigrationInterface {
  name = 'CreateCatalogue1764374400000';

  async up(runner: QueryRunner): Promise<void> {
    // `path` is the materialized chain of ids from the root down to the row itself ("/1/7/42/"),
    // so a whole subtree is one index range scan: `path LIKE '/1/7/%'`.
    await runner.query(`
      CREATE TABLE \`category\` (
        \`id\` bigint NOT NULL AUTO_INCREMENT,
        \`name\` varchar(100) NOT NULL,
        \`slug\` varchar(255) NOT NULL,
        \`parent_id\` bigint NULL,
        \`path\` varchar(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        \`depth\` tinyint unsigned NOT NULL,
        \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        UNIQUE INDEX \`uq_category_slug\` (\`slug\`),
        INDEX \`idx_category_parent\` (\`parent_id\`, \`name\`),
        INDEX \`idx_category_path\` (\`path\`),
        PRIMARY KEY (\`id\`),
        CONSTRAINT \`fk_category_parent\` FOREIGN KEY (\`parent_id\`) REFERENCES \`category\` (\`id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    // sku is compared byte for byte so the importer's sku -> id map never folds two skus into one.
    // description is MEDIUMTEXT: 20000 four-byte characters overflow TEXT's 64 KiB.
    await runner.query(`
      CREATE TABLE \`product\` (
        \`id\` bigint NOT NULL AUTO_INCREMENT,
        \`sku\` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
        \`title\` varchar(500) NOT NULL,
        \`description\` mediumtext NOT NULL,
        \`category_id\` bigint NOT NULL,
        \`brand\` varchar(200) NULL,
        \`price\` decimal(12,2) NOT NULL,
        \`currency\` char(3) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT 'USD',
        \`tags\` json NOT NULL,
        \`image_url\` varchar(2048) NULL,
        \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        UNIQUE INDEX \`uq_product_sku\` (\`sku\`),
        INDEX \`idx_product_category\` (\`category_id\`, \`id\`),
        INDEX \`idx_product_brand\` (\`brand\`, \`id\`),
        INDEX \`idx_product_price\` (\`price\`),
        FULLTEXT INDEX \`ft_product_text\` (\`title\`, \`brand\`, \`description\`),
        PRIMARY KEY (\`id\`),
        CONSTRAINT \`fk_product_category\` FOREIGN KEY (\`category_id\`) REFERENCES \`category\` (\`id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE `product`');
    await runner.query('DROP TABLE `category`');
  }
}
