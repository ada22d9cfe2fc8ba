import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';

/**
 * Every route of a Nest controller, read from its route metadata, by handler name, written as
 * OpenAPI writes it: `GET /api/v1/lots/{lotId}`. For tests that hold an OpenAPI document to the
 * routes the controllers really have.
 */
export function nestRoutes(controller: Type): Map<string, string> {
  const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
  const prototype = controller.prototype as Record<string, object>;
  const routes = new Map<string, string>();
  for (const handler of Object.getOwnPropertyNames(prototype)) {
    if (handler === 'constructor') continue;
    const path = Reflect.getMetadata(PATH_METADATA, prototype[handler]) as string | undefined;
    if (path === undefined) continue;
    const method =
      RequestMethod[Reflect.getMetadata(METHOD_METADATA, prototype[handler]) as number];
    const joined = [base, path].filter((part) => part && part !== '/').join('/');
    routes.set(handler, `${method} /${joined}`.replace(/:(\w+)/g, '{$1}'));
  }
  return routes;
}
