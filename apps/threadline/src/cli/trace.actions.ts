import {
  createDataSource,
  databaseOptionsFromEnv,
  initializeDatabase,
} from '@threadline/persistence';
import { GenealogyQueries, MAX_TRACE_DEPTH } from '@threadline/traceability';
import type { RecallScope, TraceResult } from '@threadline/traceability';
import type { CliContext } from './cli-context';
import { ExitCode } from './cli-io';
import { CliError } from './cli.errors';
import { table } from './text-table';
import type { TraceCliOptions } from './trace.command';

export async function trace(
  context: CliContext,
  lotId: string,
  options: TraceCliOptions,
): Promise<ExitCode> {
  if (options.forward && options.backward) {
    throw new CliError('--forward and --backward: give one of them, not both');
  }
  const maxDepth = options.maxDepth === undefined ? MAX_TRACE_DEPTH : Number(options.maxDepth);
  if (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > MAX_TRACE_DEPTH) {
    throw new CliError(`--max-depth must be a whole number from 1 to ${MAX_TRACE_DEPTH}`);
  }
  const direction = options.forward ? 'forward' : 'backward';
  return withQueries(context, async (queries) => {
    const result = await queries.trace(lotId, direction, maxDepth);
    if (!result) return unknownLot(context, lotId);
    context.io.stdout(
      options.json ? `${JSON.stringify(result, null, 2)}\n` : describeTrace(result),
    );
    return ExitCode.ok;
  });
}

export async function recall(
  context: CliContext,
  lotId: string,
  options: { json?: boolean },
): Promise<ExitCode> {
  return withQueries(context, async (queries) => {
    const scope = await queries.recallScope(lotId);
    if (!scope) return unknownLot(context, lotId);
    context.io.stdout(options.json ? `${JSON.stringify(scope, null, 2)}\n` : describeRecall(scope));
    return ExitCode.ok;
  });
}

async function withQueries(
  context: CliContext,
  work: (queries: GenealogyQueries) => Promise<ExitCode>,
): Promise<ExitCode> {
  const dataSource = createDataSource({ ...databaseOptionsFromEnv(context.io.env), poolSize: 2 });
  await initializeDatabase(dataSource);
  try {
    return await work(new GenealogyQueries(dataSource));
  } finally {
    await dataSource.destroy();
  }
}

function unknownLot(context: CliContext, lotId: string): ExitCode {
  context.io.stderr(`lot '${lotId}' is not known to the genealogy\n`);
  return ExitCode.problemsFound;
}

export function describeTrace(result: TraceResult): string {
  const arrow = result.direction === 'backward' ? 'came from' : 'went into';
  const parentsOf = new Map<string, string[]>();
  for (const edge of result.edges) {
    const [near, far] =
      result.direction === 'backward' ? [edge.to, edge.from] : [edge.from, edge.to];
    parentsOf.set(far, [...(parentsOf.get(far) ?? []), `${near} (${edge.orderId})`]);
  }
  const rows = result.nodes.map((node) => [
    String(node.depth),
    node.lotId,
    node.materialId ?? '-',
    node.status ?? '-',
    node.depth === 0 ? '' : (parentsOf.get(node.lotId) ?? []).join(', '),
  ]);
  return (
    `${result.root}: ${result.nodes.length - 1} lots it ${arrow}, ${result.edges.length} links\n\n` +
    table(
      ['DEPTH', 'LOT', 'MATERIAL', 'STATUS', result.direction === 'backward' ? 'INTO' : 'FROM'],
      rows,
    )
  );
}

function describeRecall(scope: RecallScope): string {
  const lines = [
    `${scope.lotId}: ${scope.affectedLots.length} affected lots, ${scope.onHand.length} on hand, ` +
      `${scope.shipments.length} shipment lines to ${scope.customers.length} customers`,
    '',
    `On hand: ${scope.onHand.join(', ') || 'none'}`,
    '',
  ];
  if (scope.shipments.length === 0) return `${lines.join('\n')}Shipments: none\n`;
  const rows = scope.shipments.map((line) => [
    line.shipmentId,
    line.customerId,
    line.lotId,
    `${line.quantity.value} ${line.quantity.uom}`,
    line.shippedAt,
  ]);
  return `${lines.join('\n')}${table(['SHIPMENT', 'CUSTOMER', 'LOT', 'QUANTITY', 'SHIPPED'], rows)}`;
}
