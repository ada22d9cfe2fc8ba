import type {
  Change,
  CompatReport,
  SchemaEntry,
  ValidationIssue,
  ValidationResult,
} from '@threadline/schema-registry';

/** Text and JSON renderings of the `schemas` commands' results; every string ends in a newline. */

export function formatSchemaList(entries: readonly SchemaEntry[], json: boolean): string {
  if (json) {
    const items = entries.map(({ type, major, kind, id }) => ({
      type,
      major,
      kind,
      dataschema: id,
    }));
    return toJson(items);
  }
  return entries.map((entry) => `${entry.type} ${entry.major}\n`).join('');
}

/** The registry reports input that is not JSON at all with the keyword 'json'. */
export function parseFailure(result: ValidationResult): ValidationIssue | undefined {
  return result.valid ? undefined : result.errors.find((error) => error.keyword === 'json');
}

export function formatValidationResult(result: ValidationResult, json: boolean): string {
  if (json) {
    return result.valid
      ? toJson({ valid: true, type: result.event.type, id: result.event.id, errors: [] })
      : toJson({ valid: false, errors: result.errors });
  }
  if (result.valid) return `valid: ${result.event.type} ${result.event.id}\n`;
  return result.errors.map((error) => `${issueLine(error)}\n`).join('');
}

/**
 * `<JSON pointer> <message>`, the root shown as `/`. The registry's messages already open with
 * the pointer (or 'envelope' for the root); that prefix is dropped so it is not said twice.
 */
export function issueLine(issue: ValidationIssue): string {
  const pointer = issue.path === '' ? '/' : issue.path;
  const subject = `${issue.path === '' ? 'envelope' : issue.path} `;
  const message = issue.message.startsWith(subject)
    ? issue.message.slice(subject.length)
    : issue.message;
  return `${pointer} ${message}`;
}

export function formatCompatReport(report: CompatReport, json: boolean): string {
  if (json) {
    return toJson({ compatible: report.breaking.length === 0, ...report });
  }
  const lines = [
    ...report.breaking.map((change) => changeLine('breaking', change)),
    ...report.nonBreaking.map((change) => changeLine('info', change)),
  ];
  const counts = `${count(report.breaking.length, 'breaking change')}, ${count(
    report.nonBreaking.length,
    'non-breaking change',
  )}`;
  lines.push(
    report.breaking.length === 0
      ? `compatible: ${counts}`
      : `incompatible: ${counts}; publish breaking changes as a new major version beside the old one`,
  );
  return lines.map((line) => `${line}\n`).join('');
}

function changeLine(severity: 'breaking' | 'info', change: Change): string {
  return `${severity}: ${change.type} ${change.major} ${change.path} ${change.kind}: ${change.detail}`;
}

function count(amount: number, noun: string): string {
  return `${amount} ${noun}${amount === 1 ? '' : 's'}`;
}

function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
