import { ThreadlineError } from '@threadline/core';
import {
  DEFAULT_CIRCUIT_BREAKER,
  DEFAULT_RETRY,
  type ConnectorSpec,
} from '@threadline/connector-sdk/config';

/** Events a PLC connector produces (its rules and telemetry); it executes no commands. */
export const PLC_EVENTS = [
  'equipment.telemetry.sampled',
  'equipment.alarm.raised',
  'equipment.alarm.cleared',
  'equipment.downtime.started',
  'equipment.downtime.ended',
] as const;

/**
 * The PLC connector's entry in the adapter registry, so `connectors validate` checks `spec.plc`
 * configurations like any other. It has no HTTP target: the service runs a PlcHost, never the
 * HTTP connector host.
 */
export const PLC_CONNECTOR: ConnectorSpec = {
  adapter: 'plc',
  system: 'plc',
  description:
    'OPC UA subscriptions and Modbus TCP polling turned into telemetry, alarms and downtime',
  commands: {},
  events: PLC_EVENTS,
  retry: DEFAULT_RETRY,
  circuitBreaker: DEFAULT_CIRCUIT_BREAKER,
  probePath: '/',
  create: () => {
    throw new ThreadlineError(
      'CONFIGURATION_INVALID',
      'a plc connector runs in the connector-plc service, not in the HTTP connector host',
    );
  },
};
