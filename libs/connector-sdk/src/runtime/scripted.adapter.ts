import type { PollingSource } from '../config/connector-config.types';
import type {
  CommandAnswer,
  CommandRequest,
  ConnectorAdapter,
  PolledPage,
} from './connector-spec.types';

export type ExecuteReply = (request: CommandRequest) => CommandAnswer | Promise<CommandAnswer>;
export type PollReply = (
  source: PollingSource,
  cursor: string | undefined,
) => PolledPage | Promise<PolledPage>;

/**
 * A strict ConnectorAdapter for unit tests (STYLE.md §13): every call takes the next scripted
 * reply, and a call nothing was scripted for is recorded and thrown. The code under test may
 * swallow the error (a polling loop does), so `verify()` in `afterEach` fails the test on any
 * unexpected call, and on a scripted reply that was never used.
 */
export class ScriptedAdapter implements ConnectorAdapter {
  readonly executed: CommandRequest[] = [];
  readonly polled: { source: string; cursor: string | undefined }[] = [];
  private readonly unexpected: string[] = [];
  private readonly executeReplies: ExecuteReply[] = [];
  private readonly pollReplies: PollReply[] = [];

  onExecute(...replies: ExecuteReply[]): this {
    this.executeReplies.push(...replies);
    return this;
  }

  onPoll(...replies: PollReply[]): this {
    this.pollReplies.push(...replies);
    return this;
  }

  async execute(request: CommandRequest): Promise<CommandAnswer> {
    this.executed.push(request);
    const reply = this.executeReplies.shift();
    if (!reply) return this.fail(`execute(${request.command.type})`);
    return reply(request);
  }

  async poll(source: PollingSource, cursor: string | undefined): Promise<PolledPage> {
    this.polled.push({ source: source.name, cursor });
    const reply = this.pollReplies.shift();
    if (!reply) return this.fail(`poll(${source.name}, ${String(cursor)})`);
    return reply(source, cursor);
  }

  /** Throws when a call came that was not scripted, or a scripted reply was left unused. */
  verify(): void {
    const problems = [...this.unexpected];
    if (this.executeReplies.length > 0) {
      problems.push(`${this.executeReplies.length} scripted execute reply(ies) never used`);
    }
    if (this.pollReplies.length > 0) {
      problems.push(`${this.pollReplies.length} scripted poll reply(ies) never used`);
    }
    if (problems.length > 0) throw new Error(`ScriptedAdapter: ${problems.join('; ')}`);
  }

  private fail(call: string): never {
    this.unexpected.push(`unexpected call ${call}`);
    throw new Error(`ScriptedAdapter: unexpected call ${call}`);
  }
}
