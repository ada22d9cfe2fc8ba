import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020';
import { ConfigurationError } from '@threadline/connector-sdk';
import { findSchemasDirectory } from '@threadline/schema-registry';
import { parse } from 'yaml';

export interface GapWindows {
  readonly outputWithoutConsumption: number;
  readonly consumptionOfUnknownLot: number;
  readonly receiptWithoutInspection: number;
  readonly outputWithoutParent: number;
}

export interface PlantSettings {
  readonly holdPropagation: boolean;
  readonly inspectionRequired: readonly string[];
  /** Minutes each time-based rule waits for the missing fact. */
  readonly gapWindowsMinutes: GapWindows;
}

export interface TraceabilityConfig {
  readonly gapSweepSeconds: number;
  /** The settings of one plant: its overrides over the defaults. */
  plant(code: string): PlantSettings;
  /** The defaults and every configured plant's settings. */
  allSettings(): readonly PlantSettings[];
}

const BUILT_IN: PlantSettings = {
  holdPropagation: true,
  inspectionRequired: [],
  gapWindowsMinutes: {
    outputWithoutConsumption: 60,
    consumptionOfUnknownLot: 60,
    receiptWithoutInspection: 240,
    outputWithoutParent: 15,
  },
};

type PartialSettings = Partial<Omit<PlantSettings, 'gapWindowsMinutes'>> & {
  gapWindowsMinutes?: Partial<GapWindows>;
};

interface TraceabilityFile {
  gapSweepSeconds: number;
  defaults: PartialSettings;
  plants: Record<string, PartialSettings>;
}

/** Settings from a parsed file (or none: the built-in defaults). */
export function traceabilityConfig(file: Partial<TraceabilityFile> = {}): TraceabilityConfig {
  const defaults = merge(BUILT_IN, file.defaults ?? {});
  const plants = new Map(
    Object.entries(file.plants ?? {}).map(([code, own]) => [code, merge(defaults, own)]),
  );
  return {
    gapSweepSeconds: file.gapSweepSeconds ?? 60,
    plant: (code) => plants.get(code) ?? defaults,
    allSettings: () => [defaults, ...plants.values()],
  };
}

/**
 * TRACEABILITY_CONFIG (default `config/traceability.yaml`), validated against
 * schemas/config/traceability/v1.json. No file at the default place: the built-in defaults.
 */
export function loadTraceabilityConfig(env: NodeJS.ProcessEnv): TraceabilityConfig {
  const explicit = env.TRACEABILITY_CONFIG?.trim();
  const file = resolve(explicit || 'config/traceability.yaml');
  if (!explicit && !existsSync(file)) return traceabilityConfig();
  let content: unknown;
  try {
    content = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigurationError([{ file, path: '', rule: `cannot be read: ${message(error)}` }]);
  }
  const validate = compile();
  if (!validate(content)) {
    throw new ConfigurationError(
      (validate.errors ?? []).map((error) => ({
        file,
        path: error.instancePath.slice(1).replaceAll('/', '.'),
        rule:
          error.keyword === 'additionalProperties'
            ? `unknown field '${String(error.params.additionalProperty)}'`
            : (error.message ?? 'is invalid'),
      })),
    );
  }
  return traceabilityConfig(content as TraceabilityFile);
}

function compile() {
  const schemas = findSchemasDirectory();
  const ajv = new Ajv2020({ strict: true, allErrors: true, useDefaults: true });
  ajv.addSchema(readJson(join(schemas, 'common', 'v1.json')));
  return ajv.compile(readJson(join(schemas, 'config', 'traceability', 'v1.json')));
}

function merge(base: PlantSettings, own: PartialSettings): PlantSettings {
  return {
    holdPropagation: own.holdPropagation ?? base.holdPropagation,
    inspectionRequired: own.inspectionRequired ?? base.inspectionRequired,
    gapWindowsMinutes: { ...base.gapWindowsMinutes, ...own.gapWindowsMinutes },
  };
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
