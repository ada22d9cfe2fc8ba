import { performance } from 'node:perf_hooks';
import { cpus, loadavg } from 'node:os';
import { AuditLog } from '@threadline/audit';
import { createDataSource, initializeDatabase } from '@threadline/persistence';
import { createTestDatabase } from '@threadline/testing';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * npm run bench:audit [-- --appends N] [--concurrency N]
 * On PostgreSQL: what an audit entry costs the transaction that makes a decision. Each round is N
 * transactions, `concurrency` at a time, each doing one decision-sized write (a flow_step row)
 * and then either nothing more (baseline) or AuditLog.append (advisory lock, last entry, insert).
 * Baseline and audited rounds alternate, three each, in the same run. Then `verify` over the
 * chain. Prints one JSON object.
 */
async function main(): Promise<void> {
  const appends = numberFlag('--appends') ?? 2000;
  const concurrency = numberFlag('--concurrency') ?? 8;
  const database = await createTestDatabase('threadline_bench_audit');
  const dataSource = createDataSource({ url: database.url, poolSize: concurrency + 2 });
  try {
    await initializeDatabase(dataSource);
    const rounds: { baseline: Round[]; audited: Round[] } = { baseline: [], audited: [] };
    for (let round = 0; round < 3; round++) {
      rounds.baseline.push(await runRound(dataSource, appends, concurrency, false, round));
      rounds.audited.push(await runRound(dataSource, appends, concurrency, true, round));
    }
    const started = performance.now();
    const verification = await AuditLog.verify(dataSource);
    const verifySeconds = (performance.now() - started) / 1000;
    const baseline = median(rounds.baseline);
    const audited = median(rounds.audited);
    console.log(
      JSON.stringify(
        {
          bench: 'audit',
          stack: 'postgres',
          machine: {
            cpus: cpus().length,
            loadavg: loadavg().map((n) => Math.round(n * 100) / 100),
          },
          transactions: appends,
          concurrency,
          baseline,
          audited,
          auditedVsBaseline: {
            throughputRatio: round2(audited.perSecond / baseline.perSecond),
            p99AddedMs: round2(audited.p99Ms - baseline.p99Ms),
          },
          verify: {
            entries: verification.checked,
            ok: verification.ok,
            seconds: round2(verifySeconds),
            entriesPerSecond: Math.round(verification.checked / verifySeconds),
          },
        },
        null,
        2,
      ),
    );
  } finally {
    await dataSource.destroy();
    await database.drop();
  }
}

interface Round {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

async function runRound(
  dataSource: DataSource,
  count: number,
  concurrency: number,
  audited: boolean,
  round: number,
): Promise<Round> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let n = next++; n < count; n = next++) {
      const begun = performance.now();
      await dataSource.transaction(async (manager) => {
        await decision(manager, `bench-${audited ? 'a' : 'b'}-${round}`, n);
        if (audited) {
          await AuditLog.append(manager, {
            actor: { id: 'bench', kind: 'service' },
            action: 'hold.requested',
            subject: `NC-${round}-${n}`,
            reason: 'benchmark',
            causeEventId: `event-${round}-${n}`,
            detail: { lotIds: [`LOT-${n}`], flowId: `flow-${n}` },
          });
        }
      });
      latencies.push(performance.now() - begun);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: Math.round(count / seconds),
    p50Ms: round2(latencies[Math.floor(latencies.length * 0.5)]),
    p99Ms: round2(latencies[Math.floor(latencies.length * 0.99)]),
  };
}

/** A decision's own write: one timeline row, as a flow step makes. */
async function decision(manager: EntityManager, flowId: string, seq: number): Promise<void> {
  await manager.query(
    `INSERT INTO flow_step (flow_id, seq, name, state, at, detail) VALUES ($1, $2, 'hold', 'sent', now(), '{"attempt":1}')`,
    [flowId, seq],
  );
}

function median(rounds: Round[]): Round {
  const mid = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return {
    perSecond: mid(rounds.map((r) => r.perSecond)),
    p50Ms: mid(rounds.map((r) => r.p50Ms)),
    p99Ms: mid(rounds.map((r) => r.p99Ms)),
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function numberFlag(name: string): number | undefined {
  const index = process.argv.indexOf(name);
  if (index < 0) return undefined;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1`);
  return value;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
