/**
 * One call to the plant simulator's HTTP API (its `/_sim/...` control routes or a system's API):
 * the JSON answer, or an error naming the call and the simulator's answer for a 4xx or 5xx.
 */
export async function simulatorCall(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 400) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? (JSON.parse(text) as unknown) : undefined;
}
