import { loadSettingsFile } from '@threadline/connector-sdk';
import type { NonconformanceSeverity } from '@threadline/contracts';

export interface ContainmentSettings {
  readonly minSeverity: NonconformanceSeverity;
  readonly retries: number;
  readonly timeoutsSeconds: {
    readonly hold: number;
    readonly workOrder: number;
    readonly lineStop: number;
    readonly release: number;
  };
}

export interface IncomingInspectionSettings {
  readonly materials: readonly string[];
  readonly failSeverity: NonconformanceSeverity;
  readonly retries: number;
  readonly timeoutsSeconds: {
    readonly hold: number;
    readonly inspectionLot: number;
    readonly release: number;
  };
}

export interface MaintenanceSettings {
  readonly downtimeMinutes: number;
  readonly plannedReasons: readonly string[];
  readonly retries: number;
  readonly timeoutsSeconds: { readonly workOrder: number };
}

export interface InProcessFailureSettings {
  readonly severity: NonconformanceSeverity;
  readonly timeoutSeconds: number;
}

/** One plant's flow parameters. */
export interface PlantFlowSettings {
  readonly containment: ContainmentSettings;
  readonly incomingInspection: IncomingInspectionSettings;
  readonly maintenance: MaintenanceSettings;
  readonly inProcessFailure: InProcessFailureSettings;
  readonly assetLines: Readonly<Record<string, string>>;
}

export interface OrchestratorConfig {
  readonly timerPollSeconds: number;
  plant(code: string): PlantFlowSettings;
}

const BUILT_IN: PlantFlowSettings = {
  containment: {
    minSeverity: 'major',
    retries: 1,
    timeoutsSeconds: { hold: 60, workOrder: 120, lineStop: 30, release: 60 },
  },
  incomingInspection: {
    materials: [],
    failSeverity: 'major',
    retries: 1,
    timeoutsSeconds: { hold: 60, inspectionLot: 120, release: 60 },
  },
  maintenance: {
    downtimeMinutes: 5,
    plannedReasons: ['PLANNED', 'CHANGEOVER', 'BREAK'],
    retries: 1,
    timeoutsSeconds: { workOrder: 120 },
  },
  inProcessFailure: { severity: 'major', timeoutSeconds: 120 },
  assetLines: {},
};

type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : DeepPartial<T[K]>;
};

export interface OrchestratorFile {
  timerPollSeconds?: number;
  defaults?: DeepPartial<PlantFlowSettings>;
  plants?: Record<string, DeepPartial<PlantFlowSettings>>;
}

/** Settings from a parsed file (or none: the built-in defaults). */
export function orchestratorConfig(file: OrchestratorFile = {}): OrchestratorConfig {
  const defaults = overlay(BUILT_IN, file.defaults ?? {});
  const plants = new Map(
    Object.entries(file.plants ?? {}).map(([code, own]) => [code, overlay(defaults, own)]),
  );
  return {
    timerPollSeconds: file.timerPollSeconds ?? 1,
    plant: (code) => plants.get(code) ?? defaults,
  };
}

/**
 * ORCHESTRATOR_CONFIG (default `config/orchestrator.yaml`), validated against
 * schemas/config/orchestrator/v1.json. No file at the default place: the built-in defaults.
 */
export function loadOrchestratorConfig(env: NodeJS.ProcessEnv): OrchestratorConfig {
  return orchestratorConfig(
    loadSettingsFile<OrchestratorFile>({
      explicit: env.ORCHESTRATOR_CONFIG,
      defaultPath: 'config/orchestrator.yaml',
      schema: 'config/orchestrator/v1.json',
    }),
  );
}

/** `own` over `base`, object by object; arrays and values replace. */
function overlay<T>(base: T, own: DeepPartial<T> | undefined): T {
  if (own === undefined) return base;
  const out = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(own as Record<string, unknown>)) {
    const current = out[key];
    out[key] =
      isPlainObject(value) && isPlainObject(current) && key !== 'assetLines'
        ? overlay(current, value as DeepPartial<typeof current>)
        : value;
  }
  return out as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
