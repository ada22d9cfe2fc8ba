import {
  Body,
  Controller,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiSchema,
} from '@nestjs/swagger';
import { actorOf, principalOf, type SecurityEvents } from '@threadline/security';
import { ApiError, badQuery, errorAnswer, onlyKnown } from '@threadline/traceability';
import type { Request } from 'express';
import { GatewayRoutes, INVALID_REQUEST_ANSWER } from '../api/answers';
import { badRequest, notFound } from '../api/params';
import { GATEWAY_DEPS, type GatewayDeps } from '../gateway.options';
import { HoldRelease } from './hold-release';

const HOLD_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;
const MAX_REASON = 1000;

@ApiSchema({ name: 'HoldReleaseRequest', description: 'Why: the meaning of the signature.' })
export class HoldReleaseRequestSchema {
  @ApiProperty({ type: String, minLength: 1, maxLength: MAX_REASON }) reason!: string;
}

@ApiSchema({
  name: 'HoldReleaseAccepted',
  description:
    'The release command, written to the outbox; the ERP answers inventory.hold.released.',
})
export class HoldReleaseAcceptedSchema {
  @ApiProperty({ type: String }) holdId!: string;
  @ApiProperty({ type: String, format: 'uuid' }) commandId!: string;
  @ApiProperty({
    type: 'object',
    properties: { id: { type: 'string' }, kind: { type: 'string', enum: ['user', 'system'] } },
    required: ['id', 'kind'],
  })
  approvedBy!: { id: string; kind: 'user' | 'system' };
}

export interface HoldReleaseAccepted {
  holdId: string;
  commandId: string;
  approvedBy: { id: string; kind: 'user' | 'system'; name?: string };
}

/** Hold release through Threadline, with segregation of duties (issue #8 item 2). */
@GatewayRoutes('holds')
@Controller('api/v1/holds')
export class HoldsController {
  private readonly holds: HoldRelease | null;
  private readonly events: SecurityEvents | null;

  constructor(@Inject(GATEWAY_DEPS) deps: GatewayDeps | null) {
    this.holds = deps ? new HoldRelease(deps.runtime) : null;
    this.events = deps?.security.events ?? null;
  }

  @ApiOperation({
    summary: 'Release a hold (a quality approver who neither placed nor requested it)',
    description:
      'Sends erp.inventory.hold.release through the outbox with approvedBy = the caller and the ' +
      'reason. Refused with 403 SEGREGATION_OF_DUTIES when the caller placed the hold ' +
      '(lot_hold.placed_by) or requested it (the flow that asked for it).',
  })
  @ApiParam({ name: 'holdId', schema: { type: 'string', pattern: HOLD_ID.source } })
  @ApiBody({ type: HoldReleaseRequestSchema })
  @ApiAcceptedResponse({ type: HoldReleaseAcceptedSchema })
  @ApiBadRequestResponse(INVALID_REQUEST_ANSWER)
  @ApiForbiddenResponse(
    errorAnswer(
      'FORBIDDEN (role) or SEGREGATION_OF_DUTIES: the caller placed or requested the hold.',
      'SEGREGATION_OF_DUTIES',
      'segregation of duties: alice placed or requested hold H-1 and cannot approve its release',
    ),
  )
  @ApiNotFoundResponse(
    errorAnswer(
      'HOLD_NOT_FOUND: no record of this hold.',
      'HOLD_NOT_FOUND',
      "hold 'H-9' is not known",
    ),
  )
  @ApiConflictResponse(
    errorAnswer(
      'HOLD_RELEASED: every lot of the hold is released already.',
      'HOLD_RELEASED',
      "hold 'H-1' is released already",
    ),
  )
  @HttpCode(HttpStatus.ACCEPTED)
  @Post(':holdId/release')
  async release(
    @Param('holdId') holdId: string,
    @Query() query: Record<string, unknown>,
    @Body() body: unknown,
    @Req() request: Request,
  ): Promise<HoldReleaseAccepted> {
    onlyKnown(query, []);
    if (!HOLD_ID.test(holdId)) {
      throw badQuery(
        'holdId',
        'must be an Id: 1-64 of A-Z a-z 0-9 . _ : / - starting with a letter or digit',
      );
    }
    const reason = reasonOf(body);
    const principal = principalOf(request);
    if (!principal || !this.holds) throw new Error('hold release without an authenticated caller');
    const approvedBy = actorOf(principal);
    const outcome = await this.holds.release(holdId, approvedBy, reason, {
      id: principal.id,
      kind: principal.kind === 'user' ? 'user' : 'apikey',
    });
    switch (outcome.kind) {
      case 'not-found':
        throw notFound('HOLD_NOT_FOUND', `hold '${holdId}' is not known`);
      case 'released-already':
        throw new ApiError(
          HttpStatus.CONFLICT,
          'HOLD_RELEASED',
          `hold '${holdId}' is released already`,
        );
      case 'segregation-of-duties':
        this.events?.emit({
          kind: 'hold-release-refused',
          at: new Date(),
          holdId,
          actor: approvedBy,
          reason: outcome.rule,
        });
        throw new ApiError(HttpStatus.FORBIDDEN, 'SEGREGATION_OF_DUTIES', outcome.rule);
      case 'sent':
        this.events?.emit({
          kind: 'hold-release-requested',
          at: new Date(),
          holdId,
          commandId: outcome.commandId,
          approvedBy,
          reason,
        });
        return { holdId, commandId: outcome.commandId, approvedBy };
    }
  }
}

/** `{reason}` and nothing else: 1-1000 characters, not only blanks. */
function reasonOf(body: unknown): string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('body', 'must be a JSON object: {"reason": "..."}');
  }
  const { reason, ...rest } = body as { reason?: unknown };
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) throw badRequest(unknown, 'unknown field; known: reason');
  if (typeof reason !== 'string' || reason.trim().length === 0 || reason.length > MAX_REASON) {
    throw badRequest('reason', `must be 1-${MAX_REASON} characters (why the hold is released)`);
  }
  return reason;
}
