import { loadSettingsFile } from '@threadline/connector-sdk';

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
  const file = loadSettingsFile<TraceabilityFile>({
    explicit: env.TRACEABILITY_CONFIG,
    defaultPath: 'config/traceability.yaml',
    schema: 'config/traceability/v1.json',
  });
  return traceabilityConfig(file);
}

function merge(base: PlantSettings, own: PartialSettings): PlantSettings {
  return {
    holdPropagation: own.holdPropagation ?? base.holdPropagation,
    inspectionRequired: own.inspectionRequired ?? base.inspectionRequired,
    gapWindowsMinutes: { ...base.gapWindowsMinutes, ...own.gapWindowsMinutes },
  };
}
