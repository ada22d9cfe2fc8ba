import { ThreadlineError } from '@threadline/core';
import type { ConfigIssue } from './connector-config.types';

/**
 * `<file>:<line>:<column>: <path>: <rule>`, or `<file>: <path>: <rule>` when the field is not in
 * the YAML (a missing required field has no place of its own), or `<file>: <rule>` for the file.
 */
export function formatConfigIssue(issue: ConfigIssue): string {
  const place =
    issue.line === undefined ? issue.file : `${issue.file}:${issue.line}:${issue.column ?? 1}`;
  return issue.path === '' ? `${place}: ${issue.rule}` : `${place}: ${issue.path}: ${issue.rule}`;
}

/** Thrown at boot when any connector file is invalid; lists every problem, one per line. */
export class ConfigurationError extends ThreadlineError {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(
      'CONFIGURATION_INVALID',
      `connector configuration is invalid (${issues.length} ${issues.length === 1 ? 'problem' : 'problems'}):\n` +
        issues.map((issue) => `  ${formatConfigIssue(issue)}`).join('\n'),
    );
  }
}
