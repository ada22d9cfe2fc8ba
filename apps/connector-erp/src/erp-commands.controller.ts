import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ConnectorHost, executeCommand } from '@threadline/connector-sdk';
import type { ThreadlineContext } from '@threadline/messaging';
import type { CloudEventEnvelope } from '@threadline/schema-registry';
import { ERP_COMMANDS } from './erp.connectors';

/** ERP commands in, their success events out through the outbox. */
@Controller()
export class ErpCommandsController {
  constructor(private readonly host: ConnectorHost) {}

  @EventPattern(Object.keys(ERP_COMMANDS))
  execute(
    @Payload() command: CloudEventEnvelope,
    @Ctx() context: ThreadlineContext,
  ): Promise<void> {
    return executeCommand(this.host, command, context);
  }
}
