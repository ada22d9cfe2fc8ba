import {
  Catch,
  HttpException,
  HttpStatus,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Response } from 'express';

/** An API error: the HTTP status, a stable code and a message naming the field and the rule. */
export class ApiError extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: string,
    message: string,
  ) {
    super({ code, message }, status);
  }
}

export function badQuery(field: string, rule: string): ApiError {
  return new ApiError(HttpStatus.BAD_REQUEST, 'INVALID_QUERY', `${field}: ${rule}`);
}

export function lotNotFound(lotId: string): ApiError {
  return new ApiError(HttpStatus.NOT_FOUND, 'LOT_NOT_FOUND', `lot '${lotId}' is not known`);
}

/**
 * Every error as `{code, message}`: Nest's own (404 for an unknown route) keep their status,
 * anything unexpected is a 500 with no detail, so no stack trace ever reaches a caller.
 */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  constructor(private readonly onUnexpected: (error: unknown) => void = () => undefined) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (error instanceof ApiError) {
      response.status(error.getStatus()).json(error.getResponse());
      return;
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      response.status(status).json({ code: codeOf(status), message: error.message });
      return;
    }
    this.onUnexpected(error);
    response
      .status(HttpStatus.INTERNAL_SERVER_ERROR)
      .json({ code: 'INTERNAL', message: 'internal error; see the service log' });
  }
}

function codeOf(status: number): string {
  if (status === 404) return 'NOT_FOUND';
  if (status === 405) return 'METHOD_NOT_ALLOWED';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  return status >= 500 ? 'INTERNAL' : 'BAD_REQUEST';
}
