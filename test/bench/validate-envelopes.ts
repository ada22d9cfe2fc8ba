/**
 * The message mix for bench:validate: every schema example of every type, wrapped in a full
 * envelope (with causationid and traceparent, as mid-flow messages carry) and grown towards
 * ~1 KB with realistic content (longer free text, more lots or serials, more samples), each
 * grown copy checked against the registry so that the benchmark times valid messages only.
 */
import { schemaUrn, type SchemaEntry, type SchemaRegistry } from '@threadline/schema-registry';

export const TARGET_BYTES = 1024;
const MAX_ARRAY_ITEMS = 8;

type Data = Record<string, unknown>;

const NOTES = [
  'Found at first-article inspection on the CMM after the tool change on the second shift.',
  'Operator stopped the line and tagged the affected containers in the staging area.',
  'Measured values trend upwards across the last three sampling intervals.',
  'Supplier certificate references were checked against the purchase order.',
  'Containment: affected parts quarantined at station 4 pending disposition.',
];

/** `copies` envelopes per example, each with its own ids, grown towards TARGET_BYTES. */
export function buildEnvelopeMix(registry: SchemaRegistry, copies: number): Buffer[] {
  const buffers: Buffer[] = [];
  let sequence = 0;
  for (const entry of registry.list()) {
    const examples = Array.isArray(entry.schema.examples) ? (entry.schema.examples as Data[]) : [];
    for (const example of examples) {
      const template = growToTarget(registry, envelopeFor(entry, example, 0));
      for (let copy = 0; copy < copies; copy++) {
        sequence += 1;
        buffers.push(Buffer.from(JSON.stringify(withIds(template, sequence))));
      }
    }
  }
  return interleave(buffers, copies);
}

function envelopeFor(entry: SchemaEntry, data: Data, sequence: number): Data {
  const annotation = entry.schema['x-threadline'] as { subject?: string } | undefined;
  const subjectField = annotation?.subject?.split(' ')[0] ?? '';
  const value = data[subjectField];
  const subject = typeof value === 'string' ? value : 'OBJ-1';
  const system = entry.type.split('.')[0];
  return withIds(
    {
      specversion: '1.0',
      id: '',
      type: entry.type,
      source: `/plants/P01/${system}/${system}-main`,
      time: '2026-05-14T08:30:00.125Z',
      subject,
      datacontenttype: 'application/json',
      dataschema: schemaUrn(entry.type, entry.major),
      correlationid: '',
      causationid: '',
      idempotencykey: `${system}:${subject}:${entry.type.split('.').pop()}`,
      plant: 'P01',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      data: structuredClone(data),
    },
    sequence,
  );
}

function withIds(envelope: Data, sequence: number): Data {
  const hex = sequence.toString(16).padStart(12, '0');
  return {
    ...envelope,
    id: `5b0c8f2e-8a51-4a33-9d0c-${hex}`,
    correlationid: `898fd79c-dc2f-47e2-94ad-${hex}`,
    causationid: `8e2ffced-4c2b-4648-b1e0-${hex}`,
  };
}

/** Applies growth steps while they keep the envelope valid and under the target size. */
function growToTarget(registry: SchemaRegistry, envelope: Data): Data {
  let current = envelope;
  let steps = growthSteps(current.data as Data);
  while (size(current) < TARGET_BYTES && steps.length > 0) {
    const [step, ...rest] = steps;
    const candidate = structuredClone(current);
    const grown = tryStep(step, candidate.data as Data);
    const usable =
      grown && registry.validate(candidate).valid && size(candidate) <= TARGET_BYTES + 64;
    if (usable) current = candidate;
    else steps = rest; // this step no longer fits (limit reached or too large): drop it
  }
  return current;
}

type GrowthStep = (data: Data) => void;

function tryStep(step: GrowthStep, data: Data): boolean {
  try {
    step(data);
    return true;
  } catch {
    return false;
  }
}

/** Ways to make this payload larger as a real one would be: longer notes first, then a few
 * more lots, serials or samples (up to MAX_ARRAY_ITEMS, as in a typical message). */
function growthSteps(data: Data): GrowthStep[] {
  const text: GrowthStep[] = [];
  const lists: GrowthStep[] = [];
  for (const [field, value] of Object.entries(data)) {
    if (typeof value === 'string' && isFreeText(field)) {
      let notesAdded = 0;
      text.push((target) => {
        target[field] = `${target[field] as string} ${NOTES[notesAdded++ % NOTES.length]}`;
      });
    }
    if (Array.isArray(value) && value.length > 0) {
      lists.push((target) => {
        const items = target[field] as unknown[];
        if (items.length >= MAX_ARRAY_ITEMS) throw new RangeError(`${field} is long enough`);
        items.push(nextItem(items[items.length - 1], items.length));
      });
    }
  }
  return [...text, ...lists];
}

function isFreeText(field: string): boolean {
  return /description|reason|rootCause|error|name/i.test(field);
}

/** Another element like `last`: ids get a new number, numbers move a little. */
function nextItem(last: unknown, index: number): unknown {
  if (typeof last === 'string')
    return `${last.replace(/-\d+$/, '')}-${String(index + 1).padStart(3, '0')}`;
  if (typeof last !== 'object' || last === null) return last;
  const next = structuredClone(last) as Data;
  for (const [key, value] of Object.entries(next)) {
    if (typeof value === 'number') next[key] = Math.round((value + index * 0.7) * 100) / 100;
    else if (typeof value === 'string' && /Id$|^tag$/.test(key)) next[key] = nextItem(value, index);
  }
  return next;
}

function size(envelope: Data): number {
  return Buffer.byteLength(JSON.stringify(envelope));
}

/** Round-robin over types, so consecutive messages differ as on a shared queue. */
function interleave(buffers: Buffer[], copies: number): Buffer[] {
  const groups = buffers.length / copies;
  const mixed: Buffer[] = [];
  for (let copy = 0; copy < copies; copy++) {
    for (let group = 0; group < groups; group++) mixed.push(buffers[group * copies + copy]);
  }
  return mixed;
}
