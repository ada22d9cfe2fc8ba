import { SchemaRegistry } from '@threadline/schema-registry';
import { groupPatternsByPurpose } from './threadline.server';

describe('groupPatternsByPurpose', () => {
  const registry = SchemaRegistry.fromDirectory();

  it('puts patterns that match only commands on the commands queue, the rest on the events queue', () => {
    const groups = groupPatternsByPurpose(
      [
        'erp.inventory.hold.place',
        'erp.#',
        'inventory.hold.placed',
        'quality.#',
        '#',
        'no.such.type',
      ],
      registry,
    );
    expect(groups.get('commands')).toEqual(['erp.inventory.hold.place', 'erp.#']);
    expect(groups.get('events')).toEqual([
      'inventory.hold.placed',
      'quality.#',
      '#',
      'no.such.type',
    ]);
  });
});
