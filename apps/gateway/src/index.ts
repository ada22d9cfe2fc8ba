/** Public entry of the gateway, for the all-in-one composition root (ADR 0006). */
export { GatewayLifecycle, gatewayService } from './gateway.service';
export { gatewaySettings, type GatewayOptions, type GatewaySettings } from './gateway.options';
export { buildGatewayOpenApi, gatewayOpenApi } from './openapi/gateway-openapi';
export { ACTOR_HEADER, REASON_HEADER } from './dlq/dlq.controller';
