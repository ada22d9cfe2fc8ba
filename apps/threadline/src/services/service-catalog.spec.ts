import { SERVICE_CATALOG } from './service-catalog';
import { SERVICE_NAMES } from './service-names';

describe('service catalog', () => {
  it('lists exactly the services SERVICE_NAMES names', () => {
    expect([...SERVICE_CATALOG.keys()].sort()).toEqual([...SERVICE_NAMES].sort());
  });

  it('loads, for each name, the definition of that name', async () => {
    for (const [name, load] of SERVICE_CATALOG) expect((await load()).name).toBe(name);
  });
});
