/**
 * A QMS vendor's nonconformance webhook as the mapping specs use it: vendor field names, vendor
 * severity codes (MIN/MAJ/CRT), local times with an offset.
 */
export function qmsNonconformanceWebhook(overrides: { sev?: string; number?: string } = {}) {
  return {
    event: 'nc.created',
    nc: {
      number: overrides.number ?? 'NC-000123',
      sev: overrides.sev ?? 'MAJ',
      title: 'Bore diameter above upper specification limit on 3 of 5 sampled housings.',
      lots: [
        { lot: 'LOT-2026-0457', qty: 120 },
        { lot: 'LOT-2026-0458', qty: 80 },
      ],
      defect: { code: 'DIM-OOT-012', catalog: 'DIM' },
      detected: '2026-05-14T08:27:41+02:00',
      workcenter: 'ASSET-CNC-04',
      order: 'ORD-000789',
      inspector: { login: 'u.mueller', display: 'Anna Mueller' },
    },
    sentAt: '2026-05-14T08:27:45+02:00',
  };
}

/** The vendor payload -> quality.nonconformance.raised data, as a connector would configure it. */
export const QMS_NONCONFORMANCE_MAPPING = `
(
  $severity := { "MIN": "minor", "MAJ": "major", "CRT": "critical" };
  {
    "ncrId": nc.number,
    "severity": $lookup($severity, nc.sev),
    "lotIds": [nc.lots.lot],
    "defectCode": nc.defect.code,
    "description": nc.title,
    "detectedAt": nc.detected,
    "assetId": nc.workcenter,
    "orderId": nc.order,
    "detectedBy": { "id": nc.inspector.login, "kind": "user", "name": nc.inspector.display }
  }
)`;

/** The same mapping with the vendor's severity code passed through unmapped (a typical bug). */
export const QMS_UNMAPPED_SEVERITY_MAPPING = `{
  "ncrId": nc.number,
  "severity": nc.sev,
  "lotIds": [nc.lots.lot],
  "defectCode": nc.defect.code,
  "description": nc.title,
  "detectedAt": nc.detected
}`;
