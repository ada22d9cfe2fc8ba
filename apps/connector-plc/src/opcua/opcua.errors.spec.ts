import { classifyConnectError, OpcUaConnectionError } from './opcua.errors';

const URL = 'opc.tcp://plc-7:4840/UA';

describe('classifyConnectError', () => {
  it('recognises an untrusted server certificate', () => {
    const error = classifyConnectError(
      URL,
      new Error(
        'server Certificate verification failed with err BadCertificateUntrusted (0x801a0000)',
      ),
    );
    expect(error).toBeInstanceOf(OpcUaConnectionError);
    expect(error).toMatchObject({
      failure: 'certificate-untrusted',
      endpointUrl: URL,
      message: `the server certificate of ${URL} is not trusted`,
      retryable: true,
    });
  });

  it('recognises a server without the configured security', () => {
    const error = classifyConnectError(
      URL,
      new Error('cannot find endpoint for securityMode=SignAndEncrypt policy = Basic256Sha256'),
    );
    expect(error.failure).toBe('endpoint-not-found');
  });

  it('treats anything else as unreachable, quoting the first line of the cause', () => {
    const cause = new Error('connect ECONNREFUSED 127.0.0.1:4840\n  at stack');
    const error = classifyConnectError(URL, cause);
    expect(error).toMatchObject({
      failure: 'unreachable',
      message: `cannot reach ${URL}: connect ECONNREFUSED 127.0.0.1:4840`,
      cause,
    });
  });

  it('keeps an error it already classified', () => {
    const original = new OpcUaConnectionError('session-failed', URL, 'no session');
    expect(classifyConnectError(URL, original)).toBe(original);
  });
});
