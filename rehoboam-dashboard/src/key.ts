// The API key, kept for this browser tab only (session storage) and never written anywhere else.
const STORAGE = 'rehoboam.api_key';

export function apiKey(): string | null {
  try {
    return sessionStorage.getItem(STORAGE);
  } catch {
    return null;
  }
}

export function setApiKey(key: string | null): void {
  try {
    if (key) sessionStorage.setItem(STORAGE, key);
    else sessionStorage.removeItem(STORAGE);
  } catch {
    // storage switched off: the key lives as long as the page
  }
}

/** The WebSocket subprotocols that carry the key (browsers cannot set Authorization there). */
export function webSocketProtocols(key: string | null): string[] | undefined {
  if (!key) return undefined;
  const bytes = new TextEncoder().encode(key);
  let binary = '';
  bytes.forEach((b) => (binary += String.fromCharCode(b)));
  const base64url = btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return ['rehoboam.v1', 'rehoboam.bearer.' + base64url];
}
