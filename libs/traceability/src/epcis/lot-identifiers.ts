import { createHash } from 'node:crypto';
import { ThreadlineError } from '@threadline/core';

/**
 * Identifiers in EPCIS exports (docs/epcis.md). A lot is a class-level identifier (`epcClass`):
 * the GS1 LGTIN (GTIN + lot) when its material has a GTIN and the lot id fits GS1's 20-character
 * batch/lot field, otherwise a private URN under the installation's namespace:
 * `urn:threadline:lot:{lotId}` (Threadline lot ids are unique per installation). Orders, plants,
 * assets, parties and documents get private URNs the same way.
 */

export const DEFAULT_NAMESPACE = 'urn:threadline';
export const GS1_DIGITAL_LINK_DOMAIN = 'https://id.gs1.org';

export interface LotIdentifierOptions {
  /** Prefix of every private identifier, a URN (default `urn:threadline`). */
  readonly namespace?: string;
  /** Material id to GTIN (8, 12, 13 or 14 digits with a valid check digit). */
  readonly gtinByMaterial?: Readonly<Record<string, string>>;
  /**
   * GS1 Company Prefix (6 to 12 digits). LGTINs whose GTIN carries it are written as EPC URNs
   * (`urn:epc:class:lgtin:...`); the others, and all LGTINs without it, as GS1 Digital Link URIs.
   */
  readonly companyPrefix?: string;
}

/** The kinds of private identifier, as they appear in the URN. */
export type PrivateKind =
  | 'lot'
  | 'plant'
  | 'asset'
  | 'work-center'
  | 'order'
  | 'purchase-order'
  | 'sales-order'
  | 'shipment'
  | 'supplier'
  | 'customer'
  | 'certificate'
  | 'inspection-lot';

export interface LotIdentifiers {
  /** The `epcClass` of a lot. */
  lotClass(lotId: string, materialId: string | null): string;
  /** `{namespace}:{kind}:{id}`. */
  uri(kind: PrivateKind, id: string): string;
}

/** Export options that break a rule; `field` names the option. */
export class EpcisOptionsError extends ThreadlineError {
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super('CONFIGURATION_INVALID', `${field}: ${rule}`);
  }
}

const NAMESPACE = /^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}(:[A-Za-z0-9._-]+)*$/;
const COMPANY_PREFIX = /^\d{6,12}$/;
/** GS1 AI (10) batch/lot: up to 20 characters of GS1 AI encodable character set 82. */
const GS1_LOT = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]{1,20}$/;

/** The identifier scheme for the given options, which it checks first. */
export function lotIdentifiers(options: LotIdentifierOptions = {}): LotIdentifiers {
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  if (!NAMESPACE.test(namespace)) {
    throw new EpcisOptionsError('namespace', `must be a URN prefix like 'urn:threadline:acme'`);
  }
  const companyPrefix = options.companyPrefix;
  if (companyPrefix !== undefined && !COMPANY_PREFIX.test(companyPrefix)) {
    throw new EpcisOptionsError('companyPrefix', 'must be 6 to 12 digits');
  }
  const gtins = new Map(
    Object.entries(options.gtinByMaterial ?? {}).map(([materialId, gtin]) => [
      materialId,
      normaliseGtin(gtin, `gtinByMaterial.${materialId}`),
    ]),
  );
  const uri = (kind: PrivateKind, id: string): string => `${namespace}:${kind}:${escapeId(id)}`;
  return {
    uri,
    lotClass(lotId, materialId) {
      const gtin = materialId === null ? undefined : gtins.get(materialId);
      if (gtin === undefined || !GS1_LOT.test(lotId)) return uri('lot', lotId);
      return lgtin(gtin, lotId, companyPrefix);
    },
  };
}

/** The LGTIN of `lot`: an EPC class URN when the GTIN carries `companyPrefix`, else Digital Link. */
export function lgtin(gtin14: string, lot: string, companyPrefix?: string): string {
  if (companyPrefix !== undefined && gtin14.startsWith(companyPrefix, 1)) {
    const itemReference = gtin14.slice(1 + companyPrefix.length, 13);
    const escaped = lot.replace(/["%&/<>?]/g, (char) => percent(char));
    return `urn:epc:class:lgtin:${companyPrefix}.${gtin14[0]}${itemReference}.${escaped}`;
  }
  return `${GS1_DIGITAL_LINK_DOMAIN}/01/${gtin14}/10/${encodeURIComponent(lot)}`;
}

/** A GTIN-8/12/13/14 as GTIN-14, after checking its digits and check digit. */
export function normaliseGtin(gtin: string, field: string): string {
  if (!/^(\d{8}|\d{12,14})$/.test(gtin)) {
    throw new EpcisOptionsError(field, 'a GTIN has 8, 12, 13 or 14 digits');
  }
  const gtin14 = gtin.padStart(14, '0');
  if (gs1CheckDigit(gtin14.slice(0, 13)) !== Number(gtin14[13])) {
    throw new EpcisOptionsError(field, `check digit of GTIN ${gtin} is wrong`);
  }
  return gtin14;
}

/** The GS1 mod-10 check digit of `digits` (weights 3 and 1 from the right). */
export function gs1CheckDigit(digits: string): number {
  const sum = [...digits]
    .reverse()
    .reduce((total, digit, index) => total + Number(digit) * (index % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10;
}

/** Units as written in ERP and MES payloads, to UN/CEFACT Recommendation 20 codes. */
export const UOM_CODES: Readonly<Record<string, string>> = {
  kg: 'KGM',
  g: 'GRM',
  mg: 'MGM',
  t: 'TNE',
  lb: 'LBR',
  l: 'LTR',
  ml: 'MLT',
  m: 'MTR',
  mm: 'MMT',
  cm: 'CMT',
  m2: 'MTK',
  m3: 'MTQ',
  pcs: 'H87',
  pc: 'H87',
  piece: 'H87',
  ea: 'H87',
  each: 'H87',
  unit: 'C62',
};

/**
 * The UN/CEFACT code of `uom`: `overrides` first, then {@link UOM_CODES} (case-insensitive), then
 * `uom` itself if it is already written as a code (2 or 3 capitals or digits, e.g. `KGM`); null
 * for anything else, which the export then leaves out (with its quantity).
 */
export function uomCode(
  uom: string,
  overrides: Readonly<Record<string, string>> = {},
): string | null {
  const code = overrides[uom] ?? UOM_CODES[uom.toLowerCase()];
  if (code !== undefined) return code;
  return /^[A-Z0-9]{2,3}$/.test(uom) ? uom : null;
}

/** Namespace of Threadline's EPCIS event ids (a fixed random UUID). */
export const EVENT_ID_NAMESPACE = '2f0cbbd6-5b0e-4a53-9c7e-3a4ef6a1d9b5';

/** A name-based (version 5, SHA-1) UUID URN: the same name always gives the same eventID. */
export function eventId(name: string): string {
  return `urn:uuid:${uuidV5(name, EVENT_ID_NAMESPACE)}`;
}

/** RFC 9562 version 5 UUID of `name` in `namespace`. */
export function uuidV5(name: string, namespace: string): string {
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Threadline ids (`[A-Za-z0-9._:/-]`) go into a URN as they are; anything else is escaped. */
function escapeId(id: string): string {
  return id.replace(/[^A-Za-z0-9._:/-]/gu, (char) => encodeURIComponent(char));
}

function percent(char: string): string {
  return `%${char.charCodeAt(0).toString(16).toUpperCase()}`;
}
