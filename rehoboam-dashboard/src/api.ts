// The REST API on this origin: JSON in, JSON out, the key as a Bearer header, every failure as an
// ApiError with the server's {"error": {"code", "message", "details"}}.
import { apiKey } from './key';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> | null = null,
  ) {
    super(message);
  }
}

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  alsoOk: number[] = [],
): Promise<T> {
  const key = apiKey();
  const init: RequestInit = {
    method,
    headers: {
      Accept: 'application/json',
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(key ? { Authorization: 'Bearer ' + key } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
  };
  let response: Response;
  try {
    response = await fetch(path.replace(/^\//, ''), init);
  } catch (e) {
    throw new ApiError(0, 'UNREACHABLE', 'the server did not answer (' + String(e) + ')');
  }
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok && !alsoOk.includes(response.status)) {
    const error = (json as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | null)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'HTTP_' + response.status,
      error?.message ?? response.statusText ?? 'HTTP ' + response.status,
      error?.details ?? null,
    );
  }
  return json as T;
}

export const get = <T>(path: string, alsoOk: number[] = []) => request<T>('GET', path, undefined, {}, alsoOk);
export const post = <T>(path: string, body: unknown = {}, headers: Record<string, string> = {}) =>
  request<T>('POST', path, body, headers);

/** The API's base path. */
export const API = '/api/arbitrage';
