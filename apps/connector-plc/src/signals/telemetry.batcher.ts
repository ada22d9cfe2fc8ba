import type { SignalSample, TelemetrySettings } from '../plc-config.types';

/** One `equipment.telemetry.sampled` worth of samples: one asset, in arrival order. */
export interface TelemetryBatch {
  assetId: string;
  samples: SignalSample[];
}

/**
 * Groups samples per asset into batches of at most `maxBatchSize`, each sent no later than
 * `maxDelayMs` after its first sample. Report by exception: a sample whose value and quality
 * equal the last one reported for that asset and tag is dropped (a Modbus poll reading the same
 * register again is not news).
 */
export class TelemetryBatcher {
  private readonly open = new Map<string, { samples: SignalSample[]; timer: NodeJS.Timeout }>();
  private readonly lastReported = new Map<string, string>();

  constructor(
    private readonly settings: TelemetrySettings,
    private readonly emit: (batch: TelemetryBatch) => void,
  ) {}

  add(samples: readonly SignalSample[]): void {
    for (const sample of samples) {
      const key = `${sample.assetId}\u0000${sample.tag}`;
      const fingerprint = `${typeof sample.value}:${String(sample.value)}:${sample.quality}`;
      if (this.lastReported.get(key) === fingerprint) continue;
      this.lastReported.set(key, fingerprint);
      this.append(sample);
    }
  }

  /** Sends every open batch now (shutdown). */
  flush(): void {
    for (const assetId of [...this.open.keys()]) this.send(assetId);
  }

  private append(sample: SignalSample): void {
    let batch = this.open.get(sample.assetId);
    if (!batch) {
      const timer = setTimeout(() => this.send(sample.assetId), this.settings.maxDelayMs);
      batch = { samples: [], timer };
      this.open.set(sample.assetId, batch);
    }
    batch.samples.push(sample);
    if (batch.samples.length >= this.settings.maxBatchSize) this.send(sample.assetId);
  }

  private send(assetId: string): void {
    const batch = this.open.get(assetId);
    if (!batch) return;
    clearTimeout(batch.timer);
    this.open.delete(assetId);
    this.emit({ assetId, samples: batch.samples });
  }
}
