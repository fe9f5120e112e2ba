import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What the worker made of each review, and whether it has yet. */
export class CreateReviewAnalysis1764720000000 implements MigrationInterface {
  name = 'CreateReviewAnalysis1764720000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE \`review_analysis\` (
        \`review_id\` bigint UNSIGNED NOT NULL,
        \`status\` enum('PENDING','DONE','FAILED') NOT NULL,
        \`sentiment\` enum('negative','neutral','positive') NULL,
        \`sentiment_score\` double NULL,
        \`scores\` varchar(200) NULL,
        \`embedding\` mediumblob NULL,
        \`model\` varchar(100) NULL,
        \`model_version\` varchar(64) NULL,
        \`error\` varchar(500) NULL,
        \`requested_at\` datetime(3) NOT NULL,
        \`analysed_at\` datetime(3) NULL,
        INDEX \`idx_review_analysis_status_requested\` (\`status\`, \`requested_at\`),
        PRIMARY KEY (\`review_id\`),
        CONSTRAINT \`fk_review_analysis_review\` FOREIGN KEY (\`review_id\`) REFERENCES \`review\` (\`id\`) ON DELETE CASCADE ON UPDATE RESTRICT
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    // Every review stored so far still has to be analysed.
    await runner.query(`INSERT INTO review_analysis (review_id, status, requested_at) SELECT id, 'PENDING', CURRENT_TIMESTAMP(3) FROM review`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE `review_analysis`');
  }
}
