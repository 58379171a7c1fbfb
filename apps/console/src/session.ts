import type { SessionView, UserView } from '@vigil/contracts';

/**
 * The signed-in user's session. The access token lives only in this module's memory, never in
 * storage or a URL; the refresh token is an HttpOnly cookie the page cannot read, which lets a
 * reloaded page resume without asking for the password again.
 */
let current: SessionView | undefined;
let renewal: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<(user: UserView | undefined) => void>();

function adopt(session: SessionView | undefined): UserView | undefined {
  current = session;
  clearTimeout(renewal);
  // Renew at 80 % of the token's life, so requests and reconnections rarely meet an expired one.
  if (session) renewal = setTimeout(() => void refresh(), session.expiresIn * 800);
  for (const listener of listeners) listener(session?.user);
  return session?.user;
}

async function post(path: string, body?: unknown): Promise<Response> {
  return fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      'content-type': 'application/json',
      ...(current && { authorization: `Bearer ${current.accessToken}` }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export function accessToken(): string | undefined {
  return current?.accessToken;
}

export function signedInUser(): UserView | undefined {
  return current?.user;
}

/** Called with the user on sign-in and with undefined when the session ends. */
export function onSessionChange(listener: (user: UserView | undefined) => void): void {
  listeners.add(listener);
}

/** Resolves with the user, or with the reason the sign-in was refused. */
export async function signIn(username: string, password: string): Promise<UserView | string> {
  const response = await post('/api/auth/login', { username, password });
  if (response.ok) return adopt((await response.json()) as SessionView) as UserView;
  if (response.status === 429) return 'Too many failed sign-ins. Wait a few minutes and try again.';
  if (response.status === 401 || response.status === 400) return 'User name or password is wrong.';
  return `Vigil answered ${response.status}; try again.`;
}

/** A fresh access token from the refresh cookie; the session ends if there is none. */
export async function refresh(): Promise<UserView | undefined> {
  const before = current;
  const response = await post('/api/auth/refresh').catch(() => undefined);
  if (response?.ok) return adopt((await response.json()) as SessionView);
  // A network failure keeps the session: the token may still serve when Vigil is back. A refusal
  // ends it, unless the user signed in meanwhile.
  if (response && current === before) adopt(undefined);
  return current?.user;
}

export async function signOut(): Promise<void> {
  await post('/api/auth/logout').catch(() => undefined);
  adopt(undefined);
}

/**
 * fetch with the access token (a POST of `body` as JSON, when given); one expired token is
 * renewed and the request tried again.
 */
export async function authorizedFetch(
  path: string,
  body?: unknown,
  method = body === undefined ? 'GET' : 'POST',
): Promise<Response> {
  const attempt = () =>
    fetch(path, {
      method,
      ...(body !== undefined && { body: JSON.stringify(body) }),
      headers: {
        accept: 'application/json',
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(current && { authorization: `Bearer ${current.accessToken}` }),
      },
    });
  const response = await attempt();
  if (response.status !== 401 || !(await refresh())) return response;
  return attempt();
}
