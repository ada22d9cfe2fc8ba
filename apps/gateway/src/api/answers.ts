import { applyDecorators } from '@nestjs/common';
import { ApiBadRequestResponse, ApiInternalServerErrorResponse, ApiTags } from '@nestjs/swagger';
import { INTERNAL_ANSWER, INVALID_QUERY_ANSWER, errorAnswer } from '@threadline/traceability';

/** What every gateway controller documents: its tag, 400 for a bad parameter, 500. */
export function GatewayRoutes(tag: string): ClassDecorator {
  return applyDecorators(
    ApiTags(tag),
    ApiBadRequestResponse(INVALID_QUERY_ANSWER),
    ApiInternalServerErrorResponse(INTERNAL_ANSWER),
  );
}

export const FLOW_NOT_FOUND_ANSWER = errorAnswer(
  'FLOW_NOT_FOUND: no flow has this id.',
  'FLOW_NOT_FOUND',
  "flow '0b6c…' is not known",
);

export const QUEUE_NOT_FOUND_ANSWER = errorAnswer(
  'QUEUE_NOT_FOUND: no such dead-letter queue is declared.',
  'QUEUE_NOT_FOUND',
  "queue 'threadline.erp.commands.dlq' does not exist",
);

export const EVENTS_NOT_FOUND_ANSWER = errorAnswer(
  'EVENTS_NOT_FOUND: none of the events asked for is in the event log.',
  'EVENTS_NOT_FOUND',
  'no such event in the event log',
);

export const INVALID_REQUEST_ANSWER = errorAnswer(
  'INVALID_QUERY or INVALID_REQUEST: a parameter, header or body field breaks its rule.',
  'INVALID_REQUEST',
  'X-Threadline-Reason: header is required (recorded with the re-drive)',
);
