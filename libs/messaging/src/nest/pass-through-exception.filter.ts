import { Catch, type ExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

/**
 * Nest's default RPC filter turns every error into `{status: 'error'}`, losing its class and
 * with it the retryable/permanent classification. Threadline's transport settles failures
 * itself (retry tier or DLQ), so errors must reach it unchanged.
 */
@Catch()
export class PassThroughExceptionFilter implements ExceptionFilter {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
