/** The roles of issue #8, least to most specialised; a route names the roles it admits. */
export const ROLES = [
  'viewer',
  'operator',
  'quality-approver',
  'integration-admin',
  'auditor',
] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** What each role is for (the README and the OpenAPI document show these). */
export const ROLE_MEANINGS: Readonly<Record<Role, string>> = {
  viewer: 'reads flows, events, connectors and the genealogy',
  operator: 'runs the integration: dead-letter queues and their re-drive, metrics',
  'quality-approver': 'releases holds (never one it placed or requested)',
  'integration-admin':
    'administers connectors and dead-letter queues, reads everything operational',
  auditor: 'reads everything, and the audit log',
};
