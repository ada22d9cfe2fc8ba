import { SERVICE_CATALOG } from './service-catalog';
import { SERVICE_NAMES } from './service-names';

describe('service catalog', () => {
  it('lists exactly the services SERVICE_NAMES names', () => {
    expect([...SERVICE_CATALOG.keys()].sort()).toEqual([...SERVICE_NAMES].sort());
  });

  it('keys each definition by its own name', () => {
    for (const [name, definition] of SERVICE_CATALOG) expect(definition.name).toBe(name);
  });
});
