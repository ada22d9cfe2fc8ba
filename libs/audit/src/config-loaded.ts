import type { AuditActor, AuditEntryInput } from './audit-entry.model';
import { sha256Hex } from './canonical';

/** SHA-256 (hex) of a file's content: identifies the configuration without repeating it. */
export function contentHash(content: string | Buffer): string {
  return sha256Hex(content);
}

/**
 * The `config.loaded` entry of a service that read a configuration file at start: the file and
 * the hash of its content, never the content itself (it may name secrets' variables, and the
 * values of those never enter the log).
 */
export function configLoadedEntry(options: {
  service: string;
  file: string;
  content: string | Buffer;
  actor?: AuditActor;
}): AuditEntryInput {
  return {
    actor: options.actor ?? { id: options.service, kind: 'service' },
    action: 'config.loaded',
    subject: options.file,
    detail: { service: options.service, sha256: contentHash(options.content) },
  };
}
