import { PermanentError, ThreadlineError } from '@threadline/core';
import type { CloudEvent } from '@threadline/contracts';
import type { CommandBinding } from '../config/connector-config.types';
import { compileMapping, type CompiledMapping } from '../mapping/mapping';
import { checkVendorRequest, type VendorRequest } from '../mapping/outbound-mapper';

/**
 * A binding's request path with `{expression}` parts (JSONata over the command), compiled once:
 * `/lines/{data.lineId}/stop` -> `/lines/LINE-1/stop`. Every value is URL-encoded, so a field
 * cannot add path segments or a query string.
 */
export class PathTemplate {
  private readonly parts: (string | CompiledMapping)[];

  constructor(
    readonly template: string,
    name: string,
  ) {
    this.parts = template
      .split(/(\{[^{}]+\})/)
      .filter((part) => part !== '')
      .map((part) =>
        part.startsWith('{') && part.endsWith('}')
          ? compileMapping(part.slice(1, -1), `${name} path ${part}`)
          : part,
      );
    if (this.parts.some((part) => typeof part === 'string' && /[{}]/.test(part))) {
      throw new ThreadlineError(
        'CONFIGURATION_INVALID',
        `${name}: request path '${template}' has an unbalanced '{' or '}'`,
      );
    }
  }

  async resolve(command: CloudEvent): Promise<string> {
    const resolved: string[] = [];
    for (const part of this.parts) {
      if (typeof part === 'string') {
        resolved.push(part);
        continue;
      }
      const value = await part.evaluate(command);
      if (typeof value !== 'string' && typeof value !== 'number') {
        throw new PermanentError(`${part.name} must give a string or a number, got nothing usable`);
      }
      resolved.push(encodeURIComponent(String(value)));
    }
    return resolved.join('');
  }
}

/** One configured command, compiled: its request path, body mapping and result mapping. */
export class CompiledCommandBinding {
  private readonly path: PathTemplate;
  private readonly body: CompiledMapping;
  private readonly answerObjectId?: CompiledMapping;
  readonly result: CompiledMapping;

  constructor(
    readonly binding: CommandBinding,
    connector: string,
  ) {
    const name = `${connector}/${binding.type}`;
    this.path = new PathTemplate(binding.request.path, name);
    this.body = compileMapping(
      binding.mapping.expression,
      binding.mapping.file ?? `${name} mapping`,
    );
    this.result = compileMapping(
      binding.result.expression,
      binding.result.file ?? `${name} result`,
    );
    const objectId = binding.identity?.objectId;
    if (objectId) this.answerObjectId = compileMapping(objectId, `${name} identity.objectId`);
  }

  /**
   * The answer's idempotency key: `<command key>:done` (a command executed twice answers once),
   * or with `identity` the fact's own key `{system}:{objectId}:{fact}`, the one a webhook or a
   * poll reporting the same fact uses, so consumers see the fact once whichever way it came.
   */
  async answerKey(
    command: CloudEvent,
    data: Record<string, unknown>,
    system: string,
    subjectField: string | undefined,
  ): Promise<string> {
    const identity = this.binding.identity;
    if (!identity) return `${command.idempotencykey.slice(0, 240)}:done`;
    const objectId = this.answerObjectId
      ? await this.answerObjectId.evaluate(data)
      : subjectField && data[subjectField];
    if (typeof objectId !== 'string' || objectId === '') {
      throw new PermanentError(
        `${this.result.name}: identity.objectId gives no id for the answer's idempotency key`,
      );
    }
    return `${system}:${objectId}:${identity.fact}`;
  }

  /** The vendor request for `command`; a PermanentError when the mapping cannot make one. */
  async request(command: CloudEvent): Promise<VendorRequest> {
    const path = await this.path.resolve(command);
    const body = await this.body.evaluate(command);
    const request = checkVendorRequest(
      { method: this.binding.request.method, path, ...(body === undefined ? {} : { body }) },
      this.body.name,
    );
    if (this.binding.idempotency === 'header') {
      request.headers = { ...request.headers, 'Idempotency-Key': command.idempotencykey };
    }
    return request;
  }
}
