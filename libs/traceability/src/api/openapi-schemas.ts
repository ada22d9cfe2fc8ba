import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** JSON schemas of the /api/v1 answers (model.ts), for the generated OpenAPI document. */
const nullable = (schema: SchemaObject): SchemaObject => ({ ...schema, nullable: true });
const text: SchemaObject = { type: 'string' };
const time: SchemaObject = { type: 'string', format: 'date-time' };

const QUANTITY: SchemaObject = {
  type: 'object',
  required: ['value', 'uom'],
  properties: { value: { type: 'number', minimum: 0 }, uom: text },
};

const ACTOR: SchemaObject = {
  type: 'object',
  required: ['id', 'kind'],
  properties: { id: text, kind: { type: 'string', enum: ['user', 'system'] }, name: text },
};

export const ERROR_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string', example: 'INVALID_QUERY' },
    message: { type: 'string', example: 'direction: must be one of backward, forward' },
  },
};

export const TRACE_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['root', 'direction', 'nodes', 'edges'],
  properties: {
    root: text,
    direction: { type: 'string', enum: ['backward', 'forward'] },
    nodes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['lotId', 'materialId', 'status', 'depth'],
        properties: {
          lotId: text,
          materialId: nullable(text),
          status: nullable(text),
          depth: { type: 'integer', minimum: 0 },
        },
      },
    },
    edges: {
      type: 'array',
      description: 'From the input lot to the output lot, whichever way the trace went.',
      items: {
        type: 'object',
        required: ['from', 'to', 'orderId', 'quantity'],
        properties: { from: text, to: text, orderId: text, quantity: nullable(QUANTITY) },
      },
    },
  },
};

const SHIPMENT: SchemaObject = {
  type: 'object',
  required: [
    'shipmentId',
    'customerId',
    'salesOrderId',
    'lotId',
    'quantity',
    'shippedAt',
    'carrier',
  ],
  properties: {
    shipmentId: text,
    customerId: text,
    salesOrderId: text,
    lotId: text,
    quantity: QUANTITY,
    shippedAt: time,
    carrier: nullable(text),
  },
};

export const RECALL_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['lotId', 'affectedLots', 'onHand', 'shipments', 'customers'],
  properties: {
    lotId: text,
    affectedLots: { type: 'array', items: text },
    onHand: { type: 'array', items: text, description: 'Affected lots with no shipment line.' },
    shipments: { type: 'array', items: SHIPMENT },
    customers: { type: 'array', items: text },
  },
};

export const LOT_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['lotId', 'origin', 'holds', 'timeline'],
  properties: {
    lotId: text,
    plant: nullable(text),
    materialId: nullable(text),
    origin: { type: 'string', enum: ['received', 'produced', 'referenced'] },
    originAt: nullable(time),
    status: nullable(text),
    statusChangedAt: nullable(time),
    quantity: nullable(QUANTITY),
    supplierId: nullable(text),
    supplierLotId: nullable(text),
    purchaseOrderId: nullable(text),
    orderId: nullable(text),
    holds: {
      type: 'array',
      items: {
        type: 'object',
        required: ['holdId', 'active'],
        properties: {
          holdId: text,
          ncrId: nullable(text),
          reason: nullable(text),
          placedAt: nullable(time),
          placedBy: nullable(ACTOR),
          releasedAt: nullable(time),
          releasedBy: nullable(ACTOR),
          approvalReason: nullable(text),
          active: { type: 'boolean' },
        },
      },
    },
    timeline: {
      type: 'array',
      items: {
        type: 'object',
        required: ['eventId', 'type', 'time', 'via', 'data'],
        properties: {
          eventId: text,
          type: text,
          time,
          via: { type: 'string', enum: ['lot', 'order', 'ncr'] },
          data: { type: 'object', additionalProperties: true },
        },
      },
    },
  },
};

export const GAPS_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: [
          'gapId',
          'rule',
          'severity',
          'status',
          'plant',
          'lotIds',
          'description',
          'detectedAt',
        ],
        properties: {
          gapId: text,
          rule: {
            type: 'string',
            enum: [
              'output-without-consumption',
              'consumption-of-unknown-lot',
              'shipment-of-held-lot',
              'receipt-without-inspection',
              'output-without-parent',
            ],
          },
          severity: { type: 'string', enum: ['low', 'medium', 'high'] },
          status: { type: 'string', enum: ['open', 'resolved'] },
          plant: text,
          lotIds: { type: 'array', items: text },
          orderId: nullable(text),
          description: text,
          detectedAt: time,
          resolvedAt: nullable(time),
        },
      },
    },
  },
};
