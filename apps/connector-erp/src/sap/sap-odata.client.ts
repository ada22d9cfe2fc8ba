import {
  HttpPermanentError,
  type PolicyHttpClient,
  type PolicyHttpResponse,
  type VendorRequest,
} from '@threadline/connector-sdk';
import { TransientError } from '@threadline/core';
import { serviceRootOf } from './odata-values';

interface CsrfSession {
  token: string;
  cookie: string;
}

/**
 * SAP Gateway's rules on top of the connector's policy client: modifying requests carry a CSRF
 * token and its session cookie (fetched with `x-csrf-token: Fetch` on the service root, fetched
 * again when the gateway answers 403), and updates carry the entity's ETag as If-Match.
 */
export class SapODataClient {
  private readonly sessions = new Map<string, Promise<CsrfSession>>();

  constructor(private readonly http: PolicyHttpClient) {}

  get<T>(path: string): Promise<PolicyHttpResponse<T>> {
    return this.http.request<T>({ method: 'GET', path, headers: { Accept: 'application/json' } });
  }

  /** A write with CSRF protection; one fresh token is tried when the gateway rejects ours. */
  async write<T>(request: VendorRequest, ifMatch?: string): Promise<PolicyHttpResponse<T>> {
    const root = serviceRootOf(request.path);
    try {
      return await this.send<T>(request, await this.session(root), ifMatch);
    } catch (error) {
      if (!(error instanceof HttpPermanentError) || error.status !== 403) throw error;
      this.sessions.delete(root);
      return this.send<T>(request, await this.session(root), ifMatch);
    }
  }

  private send<T>(
    request: VendorRequest,
    session: CsrfSession,
    ifMatch?: string,
  ): Promise<PolicyHttpResponse<T>> {
    return this.http.request<T>({
      method: request.method,
      path: request.path,
      body: request.body,
      headers: {
        Accept: 'application/json',
        ...request.headers,
        'x-csrf-token': session.token,
        Cookie: session.cookie,
        ...(ifMatch ? { 'If-Match': ifMatch } : {}),
      },
    });
  }

  private session(root: string): Promise<CsrfSession> {
    let session = this.sessions.get(root);
    if (!session) {
      session = this.fetchSession(root);
      this.sessions.set(root, session);
      // A failed fetch is not remembered: the next write tries again.
      session.catch(() => this.sessions.delete(root));
    }
    return session;
  }

  private async fetchSession(root: string): Promise<CsrfSession> {
    const response = await this.http.request({
      method: 'GET',
      path: root,
      headers: { 'x-csrf-token': 'Fetch', Accept: 'application/json' },
    });
    const token = response.headers['x-csrf-token'];
    const cookie = (response.headers['set-cookie'] ?? '')
      .split(/,(?=\s*[^;,=\s]+=)/)
      .map((part) => part.split(';')[0].trim())
      .filter((pair) => pair.includes('='))
      .join('; ');
    if (!token) {
      // A gateway in front of SAP that drops the header: worth trying again, and visible.
      throw new TransientError(`GET ${root} with x-csrf-token: Fetch returned no token`);
    }
    return { token, cookie };
  }
}
