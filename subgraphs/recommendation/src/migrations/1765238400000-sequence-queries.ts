import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A shopper's sequence model queries, one per served version (the serving one and those that
 * running experiments pin for their arms), in one JSON column beside the interest profile instead of
 * one version's query. Existing queries are carried over.
 */
export class SequenceQueries1765238400000 implements MigrationInterface {
  name = 'SequenceQueries1765238400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query("ALTER TABLE `interest_profile` ADD `sequence_queries` mediumtext NOT NULL DEFAULT '{}'");
    await runner.query(
      'UPDATE `interest_profile` SET `sequence_queries` = JSON_OBJECT(`sequence_model_version`, `sequence_query`) WHERE `sequence_model_version` IS NOT NULL AND `sequence_query` IS NOT NULL',
    );
    // The default only filled the rows that existed: the application always writes the column.
    await runner.query('ALTER TABLE `interest_profile` ALTER COLUMN `sequence_queries` DROP DEFAULT');
    await runner.query('ALTER TABLE `interest_profile` DROP COLUMN `sequence_query`, DROP COLUMN `sequence_model_version`');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE `interest_profile` ADD `sequence_model_version` varchar(40) NULL, ADD `sequence_query` text NULL');
    // One version's query survives a downgrade: the first in the object.
    await runner.query(
      "UPDATE `interest_profile` SET `sequence_model_version` = JSON_UNQUOTE(JSON_EXTRACT(JSON_KEYS(`sequence_queries`), '$[0]')) WHERE JSON_LENGTH(`sequence_queries`) > 0",
    );
    await runner.query(
      "UPDATE `interest_profile` SET `sequence_query` = JSON_UNQUOTE(JSON_EXTRACT(`sequence_queries`, CONCAT('$.\"', `sequence_model_version`, '\"'))) WHERE `sequence_model_version` IS NOT NULL",
    );
    await runner.query('ALTER TABLE `interest_profile` DROP COLUMN `sequence_queries`');
  }
}
