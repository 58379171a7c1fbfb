// Proves, over real HTTP and Socket.IO, that sign-in and sessions hold against what an outside
// tester tried: parallel guesses are counted before hashing, a hammered user name does not lock
// its owner out of the browser she signs in from, the client address is the proxy's only when
// configured, password changes are throttled and audited, every way a session ends ends its
// tokens at once, and a sign-in cannot be posted from another origin.
import {
  TEST_ADMIN,
  connectConsole,
  openConsole,
  signInAs,
  startVigil,
  type VigilHarness,
} from './support/vigil-harness';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly cookies: string[];
  readonly headers: Headers;
}

/** A POST with exactly these headers (no Authorization unless given), answered in full. */
async function post(
  vigil: VigilHarness,
  path: string,
  body: string | undefined,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<Answer> {
  const response = await fetch(`${vigil.httpUrl}${path}`, { method: 'POST', headers, body });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    cookies: response.headers.getSetCookie(),
    headers: response.headers,
  };
}

const login = (
  vigil: VigilHarness,
  username: string,
  password: string,
  headers: Record<string, string> = {},
) =>
  post(vigil, '/api/auth/login', JSON.stringify({ username, password }), {
    'content-type': 'application/json',
    ...headers,
  });

/** `name=value` of the Set-Cookie named, for a Cookie header. */
function cookie(answer: Answer, name: string): string {
  const found = answer.cookies.find((line) => line.startsWith(`${name}=`));
  if (!found) throw new Error(`no ${name} cookie in ${JSON.stringify(answer.cookies)}`);
  return found.split(';')[0];
}

const passwordOf = (username: string) => `${username}-password-for-tests`;

async function auditActions(vigil: VigilHarness, subject: string): Promise<string[]> {
  const entries = (await (await vigil.fetch(`/api/audit?subject=${subject}`)).json()) as {
    action: string;
  }[];
  return entries.map((entry) => entry.action);
}

describe('sign-in throttling', () => {
  let vigil: VigilHarness;

  beforeAll(async () => {
    vigil = await startVigil({ TRUST_PROXY: 'loopback' });
  });
  afterAll(() => vigil?.stop({ removeData: true }));

  it('counts twelve simultaneous wrong passwords before hashing: five are checked, seven refused', async () => {
    await signInAs(vigil, { username: 'par', role: 'nurse', wards: ['ward-1'] });
    const from = { 'x-forwarded-for': '10.20.0.1' };
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => login(vigil, 'par', 'wrong-password', from)),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([...Array(5).fill(401), ...Array(7).fill(429)]);
    const throttled = answers.find((answer) => answer.status === 429) as Answer;
    expect(throttled.body).toMatchObject({ statusCode: 429, code: 'AUTH.THROTTLED' });
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(
      (await auditActions(vigil, 'par')).filter((a) => a === 'auth.login-failed'),
    ).toHaveLength(5);
  });

  it('keeps a hammered nurse signing in from the browser she used before, and no other', async () => {
    await signInAs(vigil, { username: 'ana', role: 'nurse', wards: ['ward-1'] });
    const wardComputer = { 'x-forwarded-for': '10.20.0.2' };
    const first = await login(vigil, 'ana', passwordOf('ana'), wardComputer);
    expect(first.status).toBe(200);
    const device = cookie(first, 'vigil_device_ana');
    expect(first.cookies.find((line) => line.startsWith('vigil_device_ana='))).toMatch(
      /HttpOnly; SameSite=Strict/,
    );
    // An attacker elsewhere hammers her name until unknown browsers are locked out.
    const attacker = { 'x-forwarded-for': '203.0.113.9' };
    for (let i = 0; i < 6; i += 1) await login(vigil, 'ana', `guess-${i}`, attacker);
    expect((await login(vigil, 'ana', passwordOf('ana'), attacker)).status).toBe(429);
    expect((await login(vigil, 'ana', passwordOf('ana'), wardComputer)).status).toBe(429);
    // Her own browser still signs her in, with the right password only.
    const withCookie = { ...wardComputer, cookie: device };
    expect((await login(vigil, 'ana', passwordOf('ana'), withCookie)).status).toBe(200);
    expect((await login(vigil, 'ana', 'wrong', withCookie)).status).toBe(401);
    // Another user's device cookie, or a forged one, counts for nothing.
    const forged = { ...attacker, cookie: device.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) };
    expect((await login(vigil, 'ana', passwordOf('ana'), forged)).status).toBe(429);
  });

  it('locks out an address that sprays user names, but not a browser known to its user', async () => {
    const office = { 'x-forwarded-for': '10.20.0.3' };
    await signInAs(vigil, { username: 'bo', role: 'nurse', wards: ['ward-1'] });
    const known = await login(vigil, 'bo', passwordOf('bo'), office);
    for (let i = 0; i < 20; i += 1) await login(vigil, `sprayed-${i}`, 'x', office);
    expect((await login(vigil, 'bo', passwordOf('bo'), office)).status).toBe(429);
    const withCookie = { ...office, cookie: cookie(known, 'vigil_device_bo') };
    expect((await login(vigil, 'bo', passwordOf('bo'), withCookie)).status).toBe(200);
  });

  it('records the address a trusted proxy forwards', async () => {
    await login(vigil, TEST_ADMIN.username, TEST_ADMIN.password, {
      'x-forwarded-for': '198.51.100.7',
    });
    const entries = (await (
      await vigil.fetch('/api/audit?subject=admin&action=auth.login')
    ).json()) as { newValue: { address: string } }[];
    expect(entries.at(-1)?.newValue.address).toBe('198.51.100.7');
  });

  it('throttles and audits a wrong current password on password change', async () => {
    const token = await signInAs(vigil, { username: 'cy', role: 'nurse', wards: ['ward-1'] });
    const change = (currentPassword: string) =>
      post(
        vigil,
        '/api/auth/password',
        JSON.stringify({ currentPassword, newPassword: 'a-brand-new-passphrase' }),
        { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      );
    for (let i = 0; i < 5; i += 1) expect((await change(`guess-${i}`)).status).toBe(401);
    const throttled = await change(passwordOf('cy'));
    expect(throttled).toMatchObject({ status: 429, body: { code: 'AUTH.THROTTLED' } });
    expect(
      (await auditActions(vigil, 'cy')).filter((a) => a === 'auth.password-change-failed'),
    ).toHaveLength(5);
  });
});

describe('addresses without a trusted proxy', () => {
  it('ignores X-Forwarded-For unless TRUST_PROXY names the proxy', async () => {
    const vigil = await startVigil();
    try {
      await login(vigil, TEST_ADMIN.username, TEST_ADMIN.password, {
        'x-forwarded-for': '198.51.100.7',
      });
      const entries = (await (
        await vigil.fetch('/api/audit?subject=admin&action=auth.login')
      ).json()) as { newValue: { address: string } }[];
      expect(entries.at(-1)?.newValue.address).toBe('127.0.0.1');
    } finally {
      await vigil.stop({ removeData: true });
    }
  });
});

describe('sessions end when they should', () => {
  let vigil: VigilHarness;

  beforeAll(async () => {
    vigil = await startVigil();
  });
  afterAll(() => vigil?.stop({ removeData: true }));

  const me = (token: string) => vigil.fetch('/api/auth/me', {}, token).then((r) => r.status);

  it("stops a token issued just before an administrator's password reset, every time", async () => {
    await signInAs(vigil, { username: 'dee', role: 'nurse', wards: ['ward-1'] });
    // Three rounds, so that at least one reset falls in the same second as its sign-in.
    let current = passwordOf('dee');
    for (let round = 0; round < 3; round += 1) {
      const token = (await login(vigil, 'dee', current)).body.accessToken as string;
      expect(await me(token)).toBe(200);
      current = `${passwordOf('dee')}-${round}`;
      const reset = await vigil.fetch('/api/users/dee', {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ password: current }),
      });
      expect(reset.status).toBe(200);
      expect(await me(token)).toBe(401);
    }
  });

  it('ends the access token and the console at sign-out', async () => {
    const signedIn = await login(vigil, TEST_ADMIN.username, TEST_ADMIN.password);
    const token = signedIn.body.accessToken as string;
    const socket = await connectConsole(vigil, openConsole(vigil, token));
    const dropped = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const out = await post(vigil, '/api/auth/logout', undefined, {
      authorization: `Bearer ${token}`,
      cookie: cookie(signedIn, 'vigil_refresh'),
    });
    expect(out.status).toBe(204);
    expect(await dropped).toBe('io server disconnect');
    expect(await me(token)).toBe(401);
    const refresh = await post(vigil, '/api/auth/refresh', undefined, {
      cookie: cookie(signedIn, 'vigil_refresh'),
    });
    expect(refresh.status).toBe(401);
  });

  it('signs out with the refresh cookie alone, as a console whose access token expired does', async () => {
    const signedIn = await login(vigil, TEST_ADMIN.username, TEST_ADMIN.password);
    const out = await post(vigil, '/api/auth/logout', undefined, {
      cookie: cookie(signedIn, 'vigil_refresh'),
    });
    expect(out.status).toBe(204);
    expect(await me(signedIn.body.accessToken as string)).toBe(401);
    const refresh = await post(vigil, '/api/auth/refresh', undefined, {
      cookie: cookie(signedIn, 'vigil_refresh'),
    });
    expect(refresh.status).toBe(401);
    expect((await post(vigil, '/api/auth/logout', undefined, {})).status).toBe(204);
  });

  it('keeps the end of the shift: refreshing does not extend the session', async () => {
    const signedIn = await login(vigil, TEST_ADMIN.username, TEST_ADMIN.password);
    const maxAge = (answer: Answer) =>
      Number(
        /Max-Age=(\d+)/.exec(answer.cookies.find((c) => c.startsWith('vigil_refresh=')) ?? '')?.[1],
      );
    expect(maxAge(signedIn)).toBe(43_200);
    await sleep(2_100);
    const renewed = await post(vigil, '/api/auth/refresh', undefined, {
      cookie: cookie(signedIn, 'vigil_refresh'),
    });
    expect(renewed.status).toBe(200);
    expect(maxAge(renewed)).toBeLessThanOrEqual(43_198);
  });

  it('ends the whole session when a rotated refresh token is presented again', async () => {
    const signedIn = await login(vigil, TEST_ADMIN.username, TEST_ADMIN.password);
    const stolen = cookie(signedIn, 'vigil_refresh');
    const renewed = await post(vigil, '/api/auth/refresh', undefined, { cookie: stolen });
    expect(renewed.status).toBe(200);
    const replayed = await post(vigil, '/api/auth/refresh', undefined, { cookie: stolen });
    expect(replayed).toMatchObject({ status: 401, body: { code: 'AUTH.REFRESH' } });
    // The rightful holder's newer tokens are gone with it.
    const next = await post(vigil, '/api/auth/refresh', undefined, {
      cookie: cookie(renewed, 'vigil_refresh'),
    });
    expect(next.status).toBe(401);
    expect(await me(renewed.body.accessToken as string)).toBe(401);
    expect(await me(signedIn.body.accessToken as string)).toBe(401);
    expect(await auditActions(vigil, 'admin')).toContain('auth.refresh-token-reused');
  });

  it('keeps the session a password was changed in, and ends the others', async () => {
    await signInAs(vigil, { username: 'eve', role: 'nurse', wards: ['ward-1'] });
    const here = (await login(vigil, 'eve', passwordOf('eve'))).body.accessToken as string;
    const there = (await login(vigil, 'eve', passwordOf('eve'))).body.accessToken as string;
    const changed = await post(
      vigil,
      '/api/auth/password',
      JSON.stringify({ currentPassword: passwordOf('eve'), newPassword: 'eve-new-passphrase-1' }),
      { 'content-type': 'application/json', authorization: `Bearer ${here}` },
    );
    expect(changed.status).toBe(204);
    expect(await me(here)).toBe(200);
    expect(await me(there)).toBe(401);
  });
});

describe('sign-in from another origin', () => {
  let vigil: VigilHarness;

  beforeAll(async () => {
    vigil = await startVigil();
  });
  afterAll(() => vigil?.stop({ removeData: true }));

  it('refuses a form-encoded sign-in and sets no cookie', async () => {
    const form = await post(
      vigil,
      '/api/auth/login',
      `username=${TEST_ADMIN.username}&password=${TEST_ADMIN.password}`,
      { 'content-type': 'application/x-www-form-urlencoded' },
    );
    expect(form).toMatchObject({ status: 415, body: { code: 'REQUEST.MEDIA_TYPE' } });
    expect(form.cookies).toEqual([]);
    const plain = await post(vigil, '/api/auth/login', JSON.stringify(TEST_ADMIN), {
      'content-type': 'text/plain',
    });
    expect(plain.status).toBe(415);
  });

  it("refuses JSON from another origin, and takes it from Vigil's own", async () => {
    const foreign = await login(vigil, TEST_ADMIN.username, TEST_ADMIN.password, {
      origin: 'https://evil.example',
    });
    expect(foreign).toMatchObject({ status: 403, body: { code: 'AUTH.ORIGIN' } });
    expect(foreign.cookies).toEqual([]);
    const own = await login(vigil, TEST_ADMIN.username, TEST_ADMIN.password, {
      origin: vigil.httpUrl,
    });
    expect(own.status).toBe(200);
  });
});
