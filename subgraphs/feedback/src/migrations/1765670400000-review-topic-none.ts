import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Topics are found within each polarity, so a review whose polarity has none is placed without a
 * topic. `review_analysis.topic` becomes signed so that such a review can be marked `-1` (placed,
 * no topic), apart from NULL (not placed yet), which the topic upkeep picks up again every pass.
 */
export class ReviewTopicNone1765670400000 implements MigrationInterface {
  name = 'ReviewTopicNone1765670400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE `review_analysis` MODIFY `topic` smallint NULL');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('UPDATE `review_analysis` SET `topic` = NULL WHERE `topic` < 0');
    await runner.query('ALTER TABLE `review_analysis` MODIFY `topic` smallint UNSIGNED NULL');
  }
}
