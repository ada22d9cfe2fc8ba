import {
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type INestApplication,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { DiscoveryService, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { appendAudit } from '@threadline/audit';
import { readPackageVersion } from '@threadline/core';
import { MessagingRuntime, type ServiceDefinition } from '@threadline/messaging';
import { ApiErrorFilter, OPENAPI_JSON_PATH, OPENAPI_PATH } from '@threadline/traceability';
import {
  ApiKeyStore,
  Authenticator,
  JwtVerifier,
  SecurityEvents,
  authSettings,
  describeAuth,
  securityEvents,
} from '@threadline/security';
import { json, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { GatewayApiModule } from './gateway-api.module';
import { gatewaySettings, type GatewayDeps, type GatewayOptions } from './gateway.options';
import { gatewayOpenApi } from './openapi/gateway-openapi';
import { ROUTE_ROLES, routesOf } from './security/route-roles';

const GATEWAY_OPTIONS = Symbol('GATEWAY_OPTIONS');
const MAX_BODY = '64kb';

/** Starts the HTTP API with the service (on PORT, default 3000) and stops it before it. */
@Injectable()
export class GatewayLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private api: INestApplication | undefined;

  constructor(
    @Inject(MessagingRuntime) private readonly runtime: MessagingRuntime,
    @Inject(GATEWAY_OPTIONS) private readonly options: GatewayOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const settings = gatewaySettings(process.env);
    const auth = authSettings(process.env);
    const apiKeys = new ApiKeyStore(this.runtime.dataSource);
    // This gateway's events: recorded in its own database, then passed to the process channel.
    const events = new SecurityEvents((error) =>
      this.runtime.logger.error({ err: error }, 'a security event listener failed'),
    );
    const security = {
      settings: auth,
      apiKeys,
      events,
      authenticator: new Authenticator(new JwtVerifier(auth), apiKeys, auth, events),
    };
    const deps: GatewayDeps = { runtime: this.runtime, options: this.options, settings, security };
    this.recordFailedLogins(events);
    const api = await NestFactory.create<NestExpressApplication>(GatewayApiModule.forDeps(deps), {
      logger: false,
      abortOnError: false,
      bodyParser: false,
    });
    this.api = api;
    const unruled = this.routes().filter((route) => !ROUTE_ROLES[route]);
    if (unruled.length > 0) {
      throw new Error(`routes without a line in the route-to-role table: ${unruled.join(', ')}`);
    }
    // Security headers (CSP, HSTS, nosniff, frame-ancestors ...) on every answer.
    api.use(helmet());
    // JSON bodies, and a body that is not JSON (or too large) answered like every other error,
    // before Express's own handler could print a stack trace.
    api.use(json({ limit: MAX_BODY }));
    api.use((error: unknown, _request: Request, response: Response, next: NextFunction) => {
      if (!error) return next();
      const status = (error as { status?: number }).status === 413 ? 413 : 400;
      response.status(status).json({
        code: status === 413 ? 'PAYLOAD_TOO_LARGE' : 'INVALID_REQUEST',
        message: status === 413 ? `body: must be at most ${MAX_BODY}` : 'body: must be valid JSON',
      });
    });
    // The Swagger UI at /docs (assets from swagger-ui-dist) and the document at /docs/openapi.json.
    SwaggerModule.setup(OPENAPI_PATH, api, () => gatewayOpenApi(api, readPackageVersion()), {
      jsonDocumentUrl: OPENAPI_JSON_PATH,
      raw: ['json'],
      customSiteTitle: 'Threadline API',
    });
    api.useGlobalFilters(
      new ApiErrorFilter((error) => this.runtime.logger.error({ err: error }, 'gateway API error')),
    );
    await api.listen(settings.port, settings.host);
    this.runtime.logger.info(
      { url: await api.getUrl(), auth: describeAuth(auth) },
      'gateway listening',
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.api?.close();
  }

  /**
   * Failed authentications go to the audit log as login.failed (the client's address, the route,
   * the reason; never the credential). The failure limit bounds them: past it a client gets 429s,
   * which are not recorded one by one.
   */
  private recordFailedLogins(events: SecurityEvents): void {
    events.subscribe((event) => {
      securityEvents.emit(event);
      if (event.kind !== 'authentication-failed') return;
      appendAudit(this.runtime.dataSource.manager, {
        actor: { id: `client:${event.client}`.slice(0, 200), kind: 'system' },
        action: 'login.failed',
        subject: `${event.method} ${event.path}`.slice(0, 200),
        reason: event.reason.slice(0, 1000),
        detail: { credential: event.credential, via: 'gateway' },
        at: event.at,
      }).catch((error: unknown) =>
        this.runtime.logger.error({ err: error }, 'login.failed not recorded in the audit log'),
      );
    });
  }

  /** Every route of the running API, `METHOD /path`, from Nest's route metadata. */
  routes(): string[] {
    if (!this.api) throw new Error('the gateway is not started');
    const controllers = this.api
      .get(DiscoveryService)
      .getControllers()
      .map((wrapper) => wrapper.metatype)
      .filter((type): type is NonNullable<typeof type> => typeof type === 'function');
    return [...new Set(routesOf(controllers as Parameters<typeof routesOf>[0]))].sort();
  }

  /** Where the API listens (after bootstrap). */
  url(): Promise<string> {
    if (!this.api) throw new Error('the gateway is not started');
    return this.api.getUrl();
  }
}

/**
 * The gateway service: the admin and query API over the runtime it shares with the other
 * services of the process. It consumes no queue. The composition root says which services and
 * connector adapters the build has.
 */
export function gatewayService(options: GatewayOptions): ServiceDefinition {
  @Module({ providers: [{ provide: GATEWAY_OPTIONS, useValue: options }, GatewayLifecycle] })
  class GatewayModule {}
  return {
    name: 'gateway',
    module: GatewayModule,
    description:
      'admin and query API on PORT (default 3000): flows, events, DLQ, connectors, traceability, /docs',
  };
}
