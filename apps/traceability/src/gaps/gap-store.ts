import { buildEnvelope } from '@threadline/contracts';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import { asEnvelope } from '../genealogy/event-data';
import { GenealogySql } from '../genealogy/genealogy-sql';
import { gapIdOf, type FoundGap } from './gap-rules';

/**
 * Stores a found gap unless the rule already found it, and answers the
 * `traceability.gap.detected` event to publish in the same transaction (undefined: known gap).
 */
export async function recordGap(
  sql: GenealogySql,
  gap: FoundGap,
  now: Date,
): Promise<CloudEventEnvelope | undefined> {
  const gapId = gapIdOf(gap.rule, gap.subject);
  const inserted = GenealogySql.rowsOf<{ gap_id: string }>(
    await sql.query(
      `INSERT INTO trace_gap (gap_id, rule, subject, severity, status, plant, lot_ids, order_id,` +
        ` description, detected_at) VALUES (${sql.p(1)}, ${sql.p(2)}, ${sql.p(3)}, ${sql.p(4)},` +
        ` 'open', ${sql.ps(5, 5)}) ON CONFLICT DO NOTHING RETURNING gap_id`,
      [
        gapId,
        gap.rule,
        gap.subject,
        gap.severity,
        gap.plant,
        JSON.stringify(gap.lotIds),
        gap.orderId,
        gap.description,
        sql.time(now),
      ],
    ),
  );
  if (inserted.length === 0) return undefined;
  return asEnvelope(
    buildEnvelope({
      type: 'traceability.gap.detected',
      subject: gapId,
      source: { plant: gap.plant, system: 'threadline', connectorId: 'traceability' },
      fact: { key: `traceability:${gapId}:detected` },
      time: now,
      data: {
        gapId,
        rule: gap.rule,
        lotIds: [...new Set(gap.lotIds)].slice(0, 1000),
        detectedAt: now.toISOString(),
        description: gap.description,
      },
    }),
  );
}
