import { classifyHttpFailure, classifyHttpStatus } from './http-failure.classifier';

describe('classifyHttpStatus', () => {
  it.each([
    [200, 'success'],
    [201, 'success'],
    [204, 'success'],
    [302, 'success'],
    [409, 'conflict'],
    [408, 'transient'],
    [429, 'transient'],
    [500, 'transient'],
    [502, 'transient'],
    [503, 'transient'],
    [504, 'transient'],
    [400, 'permanent'],
    [401, 'permanent'],
    [403, 'permanent'],
    [404, 'permanent'],
    [422, 'permanent'],
  ])('classifies %i as %s', (status, expected) => {
    expect(classifyHttpStatus(status)).toBe(expected);
  });
});

describe('classifyHttpFailure', () => {
  it.each([
    ['a 503 response', { status: 503 }, 'transient'],
    ['a 429 carried by an error', { response: { status: 429 } }, 'transient'],
    ['a 400 carried by an error', { response: { status: 400 } }, 'permanent'],
    ['a 404 response', { status: 404 }, 'permanent'],
    ['connection refused', { code: 'ECONNREFUSED' }, 'transient'],
    ['connection reset', { code: 'ECONNRESET' }, 'transient'],
    ['an axios timeout', { code: 'ECONNABORTED' }, 'transient'],
    ['a socket timeout', { code: 'ETIMEDOUT' }, 'transient'],
    ['an invalid URL', { code: 'ERR_INVALID_URL' }, 'permanent'],
    ['an expired certificate', { code: 'CERT_HAS_EXPIRED' }, 'permanent'],
    ['an unknown error', new Error('something odd'), 'transient'],
    ['a thrown string', 'boom', 'transient'],
  ])('classifies %s', (_label, input, expected) => {
    expect(classifyHttpFailure(input)).toBe(expected);
  });
});
