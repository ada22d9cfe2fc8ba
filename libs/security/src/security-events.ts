/** What libs/security and the gateway report, for the audit log; never a token, key or secret. */
export type SecurityEvent =
  | {
      kind: 'authentication-failed';
      at: Date;
      /** The client's address. */
      client: string;
      method: string;
      path: string;
      credential: 'bearer' | 'api-key' | 'none';
      reason: string;
    }
  | { kind: 'api-key-created'; at: Date; keyId: string; name: string; role: string; actor: string }
  | { kind: 'api-key-revoked'; at: Date; keyId: string; actor: string }
  | {
      kind: 'hold-release-requested';
      at: Date;
      holdId: string;
      commandId: string;
      approvedBy: { id: string; kind: 'user' | 'system'; name?: string };
      reason: string;
    }
  | {
      kind: 'hold-release-refused';
      at: Date;
      holdId: string;
      actor: { id: string; kind: 'user' | 'system'; name?: string };
      reason: string;
    };

export type SecurityListener = (event: SecurityEvent) => void;

/**
 * The process's security events, for whoever keeps a record (libs/audit subscribes). Delivery is
 * synchronous; a listener that throws is reported to `onListenerError` and never reaches the
 * caller, so a broken listener cannot turn a refusal into a 500.
 */
export class SecurityEvents {
  private readonly listeners = new Set<SecurityListener>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => undefined) {}

  subscribe(listener: SecurityListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: SecurityEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}

/** The process-wide channel. */
export const securityEvents = new SecurityEvents();
