import { AuditLog } from '@threadline/audit';
import { GatewayHarness, testToken, type GatewayStack } from '../support/gateway-harness';

/** GET /api/v1/audit through the gateway: the auditor's, filtered and paged, nobody else's. */
describe.each<GatewayStack>(['rabbitmq+postgres', 'in-memory+sqlite'])(
  'GET /api/v1/audit (%s)',
  (stack) => {
    let h: GatewayHarness;

    beforeAll(async () => {
      h = await GatewayHarness.start(stack);
      for (const [actor, action, subject] of [
        ['threadline-orchestrator', 'hold.requested', 'NC-A1'],
        ['alice', 'disposition.refused', 'NC-A1'],
        ['bob', 'disposition.recorded', 'NC-A1'],
        ['bob', 'hold.released', 'H-A1'],
      ] as const) {
        await h.runtime.dataSource.transaction((manager) =>
          AuditLog.append(manager, {
            actor: { id: actor, kind: actor.startsWith('threadline') ? 'system' : 'user' },
            action,
            subject,
            reason: 'reviewed',
          }),
        );
      }
    });

    afterAll(async () => {
      await h?.close();
    });

    const auditor = () => testToken(['auditor'], { sub: 'auditor-1' });

    it('answers the auditor, filtered by subject and actor, in chain order', async () => {
      const bySubject = await h.get<{ items: { seq: number; action: string }[] }>(
        '/api/v1/audit?subject=NC-A1',
        { authorization: `Bearer ${await auditor()}` },
      );
      expect(bySubject.status).toBe(200);
      expect(bySubject.body.items.map((item) => item.action)).toEqual([
        'hold.requested',
        'disposition.refused',
        'disposition.recorded',
      ]);
      const byActor = await h.get<{ items: { subject: string; prevHash: string }[] }>(
        '/api/v1/audit?actor=bob&limit=1',
        { authorization: `Bearer ${await auditor()}` },
      );
      expect(byActor.body).toMatchObject({
        items: [{ subject: 'NC-A1' }],
        next: expect.stringMatching(/^\/api\/v1\/audit\?actor=bob&limit=1&cursor=/),
      });
    });

    it('refuses other roles (403), no credential (401) and unknown parameters (400)', async () => {
      const viewer = await testToken(['viewer', 'operator', 'quality-approver']);
      expect((await h.get('/api/v1/audit', { authorization: `Bearer ${viewer}` })).status).toBe(
        403,
      );
      expect((await h.request('GET', '/api/v1/audit')).status).toBe(401);
      const unknown = await h.get<{ code: string; message: string }>('/api/v1/audit?who=bob', {
        authorization: `Bearer ${await auditor()}`,
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.message).toContain('who');
    });
  },
);
