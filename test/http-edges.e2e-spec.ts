// Proves that the HTTP API answers what an outside tester sent with a 4xx in one shape with a
// code (never a 500), keeps internal detail out of its answers, sends the browser's security
// headers, and serves its API description only when switched on.
import { createServer, type AddressInfo } from 'node:net';
import { admitPatientWithDevice, startVigil, type VigilHarness } from './support/vigil-harness';

describe('bad input', () => {
  let vigil: VigilHarness;

  beforeAll(async () => {
    vigil = await startVigil();
    await admitPatientWithDevice(
      vigil,
      { id: 'p-edge', name: 'Edge Case', ward: 'ward-1' },
      'w-edge',
    );
  });
  afterAll(() => vigil?.stop({ removeData: true }));

  it.each([
    ['a repeated every', '/api/patients/p-edge/vitals?every=1m&every=5m'],
    ['every of 400 nines', `/api/patients/p-edge/vitals?every=${'9'.repeat(400)}`],
    ['to past the year 9999', '/api/patients/p-edge/vitals?to=1e17'],
    ['to of 10^17 ms', '/api/patients/p-edge/vitals?to=100000000000000000'],
    ['a window of a year', '/api/patients/p-edge/vitals?from=0&to=31536000000&every=1d'],
    ['a repeated patientId', '/api/alerts?patientId=a&patientId=b'],
    ['from of 10^17 ms', '/api/alerts?from=100000000000000000'],
    ['an unknown state', '/api/alerts?state=pending'],
    ['a bad cursor', '/api/alerts?after=not-a-cursor'],
    ['a limit of zero', '/api/alerts?limit=0'],
    ['an audit limit past the page', '/api/audit?limit=100000'],
    ['a repeated audit subject', '/api/audit?subject=a&subject=b'],
    ['a repeated ward', '/api/patients?ward=a&ward=b'],
  ])('answers %s with 400 and a code', async (_case, path) => {
    const response = await vigil.fetch(path);
    const body = (await response.json()) as Record<string, unknown>;
    expect([path, response.status]).toEqual([path, 400]);
    expect(body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'REQUEST.INVALID',
      message: expect.arrayContaining([expect.any(String)]),
    });
  });

  it.each(['%E0%A4%A', '%'])(
    'answers a refresh cookie of %s as an ended session, and signs out regardless',
    async (value) => {
      const refresh = await fetch(`${vigil.httpUrl}/api/auth/refresh`, {
        method: 'POST',
        headers: { cookie: `vigil_refresh=${value}` },
      });
      expect(refresh.status).toBe(401);
      expect(await refresh.json()).toMatchObject({ code: 'AUTH.REFRESH' });
      const session = (await vigil.post('/api/auth/login', {
        username: 'admin',
        password: 'admin-password-for-tests',
      })) as { body: { accessToken: string } };
      const logout = await fetch(`${vigil.httpUrl}/api/auth/logout`, {
        method: 'POST',
        headers: {
          cookie: `vigil_refresh=${value}`,
          authorization: `Bearer ${session.body.accessToken}`,
        },
      });
      expect(logout.status).toBe(204);
    },
  );

  it('answers every error in one shape with a code, and names the request it answered', async () => {
    const cases: [string, RequestInit, number, string][] = [
      ['/api/patients', { headers: { authorization: '' } }, 401, 'AUTH.REQUIRED'],
      ['/api/nothing-here', {}, 404, 'NOT_FOUND'],
      ['/api/patients/nobody', {}, 404, 'PATIENT.NOT_FOUND'],
      [
        '/api/patients',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":' },
        400,
        'REQUEST.INVALID',
      ],
      [
        '/api/patients',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id: 'p-big', name: 'x'.repeat(200_000), ward: 'ward-1' }),
        },
        413,
        'REQUEST.TOO_LARGE',
      ],
      [
        '/api/devices',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            id: 'w-x',
            patientId: 'p-edge',
            secret: 'a-secret-i-chose-myself',
          }),
        },
        400,
        'REQUEST.INVALID',
      ],
    ];
    for (const [path, init, status, code] of cases) {
      const response = await vigil.fetch(path, init);
      expect([path, response.status, await response.json()]).toEqual([
        path,
        status,
        { statusCode: status, error: expect.any(String), code, message: expect.any(Array) },
      ]);
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe('headers and the API description', () => {
  it('sends a CSP that forbids framing, nosniff and no referrer, and hides the API description', async () => {
    const vigil = await startVigil();
    try {
      for (const path of ['/', '/api/patients', '/health']) {
        const response = await vigil.fetch(path);
        const csp = response.headers.get('content-security-policy') ?? '';
        expect([path, csp]).toEqual([path, expect.stringContaining("frame-ancestors 'none'")]);
        expect(csp).toContain("script-src 'self'");
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(response.headers.get('referrer-policy')).toBe('no-referrer');
        expect(response.headers.get('x-powered-by')).toBeNull();
      }
      for (const path of ['/api/openapi.json', '/api/docs', '/api/docs-yaml']) {
        expect([path, (await fetch(`${vigil.httpUrl}${path}`)).status]).toEqual([path, 404]);
        expect([path, (await vigil.fetch(path)).status]).toEqual([path, 404]);
      }
    } finally {
      await vigil.stop({ removeData: true });
    }
  });

  it('serves the API description with API_DOCS=true', async () => {
    const vigil = await startVigil({ API_DOCS: 'true' });
    try {
      const document = (await (await fetch(`${vigil.httpUrl}/api/openapi.json`)).json()) as {
        openapi: string;
      };
      expect(document.openapi).toMatch(/^3\./);
      // Its reader styles itself inline, which only its own page allows.
      const reader = await fetch(`${vigil.httpUrl}/api/docs`);
      expect(reader.status).toBe(200);
      expect(reader.headers.get('content-security-policy')).toContain(
        "style-src 'self' 'unsafe-inline'",
      );
      const consolePage = await fetch(`${vigil.httpUrl}/`);
      expect(consolePage.headers.get('content-security-policy')).toContain("style-src 'self';");
    } finally {
      await vigil.stop({ removeData: true });
    }
  });
});

describe('internal detail', () => {
  it("keeps InfluxDB's address out of /health and the history API", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const vigil = await startVigil({
      INFLUX_URL: `http://127.0.0.1:${port}`,
      INFLUX_API: 'v1',
      INFLUX_DATABASE: 'vitals',
    });
    try {
      await admitPatientWithDevice(vigil, { id: 'p-in', name: 'In Flux', ward: 'ward-1' }, 'w-in');
      const health = await (await fetch(`${vigil.httpUrl}/health`)).text();
      expect(health).toMatch(/degraded/);
      const history = await vigil.fetch('/api/patients/p-in/vitals');
      const body = await history.text();
      expect(history.status).toBe(503);
      expect(JSON.parse(body)).toMatchObject({ code: 'STORE.UNAVAILABLE' });
      for (const answer of [health, body]) {
        expect(answer).not.toContain(String(port));
        expect(answer).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
      }
    } finally {
      await vigil.stop({ removeData: true });
    }
  });
});
