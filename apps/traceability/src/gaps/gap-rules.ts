import { createHash } from 'node:crypto';
import type { GapRule } from '@threadline/traceability';
import type { GapWindows } from '../config/traceability-config';

/** A gap a rule found, before it is stored and announced. */
export interface FoundGap {
  readonly rule: GapRule;
  /** What the rule found it on: unique per rule, so a gap is found once. */
  readonly subject: string;
  readonly plant: string;
  readonly severity: 'low' | 'medium' | 'high';
  readonly lotIds: readonly string[];
  readonly orderId: string | null;
  readonly description: string;
}

/** The time-based rules, with the window (config key) each waits for the missing fact. */
export const TIMED_RULES: ReadonlyMap<GapRule, keyof GapWindows> = new Map([
  ['output-without-consumption', 'outputWithoutConsumption'],
  ['consumption-of-unknown-lot', 'consumptionOfUnknownLot'],
  ['receipt-without-inspection', 'receiptWithoutInspection'],
  ['output-without-parent', 'outputWithoutParent'],
]);

const RULE_CODES: Readonly<Record<GapRule, string>> = {
  'output-without-consumption': 'OWC',
  'consumption-of-unknown-lot': 'CUL',
  'shipment-of-held-lot': 'SHL',
  'receipt-without-inspection': 'RWI',
  'output-without-parent': 'OWP',
};

/**
 * `GAP-<rule code>-<subject>`, an Id (64 characters at most): a subject too long or with
 * characters an Id may not hold is replaced by a digest of it, so the id stays deterministic.
 */
export function gapIdOf(rule: GapRule, subject: string): string {
  const plain = `GAP-${RULE_CODES[rule]}-${subject}`;
  if (plain.length <= 64 && /^[A-Za-z0-9._:/-]+$/.test(subject)) return plain;
  const digest = createHash('sha256').update(subject).digest('hex').slice(0, 40);
  return `GAP-${RULE_CODES[rule]}-${digest}`;
}
