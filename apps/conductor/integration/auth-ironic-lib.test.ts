// ironic-lib's BasicAuthMiddleware (what Ironic runs for auth_strategy http_basic) is the reference: the
// same user file and the same Authorization headers go to it and to the conductor, and the answers
// (status, body, WWW-Authenticate) must be the same.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Conductor, createConductor } from '../src/conductor.js';
import { defineConfig } from '../src/config/load-config.js';
import { pythonHas, requirePeer, SYSTEM_PYTHON } from './support/peers.js';

const RUN = requirePeer(
  pythonHas('ironic_lib.auth_basic', 'webob', 'bcrypt'),
  'auth-ironic-lib.test.ts',
  "ironic-lib's auth_basic with webob and bcrypt (python3-ironic-lib)",
);

/** Runs each header through ironic-lib's middleware around an app that answers 200. */
const REFERENCE = `
import json, sys, webob
from ironic_lib import auth_basic
cases = json.load(sys.stdin)
def app(env, start_response):
    return webob.Response(json_body={'ok': True})(env, start_response)
middleware = auth_basic.BasicAuthMiddleware(app, cases['file'])
answers = []
for header in cases['headers']:
    request = webob.Request.blank('/v1/nodes')
    if header is not None:
        request.headers['Authorization'] = header
    response = request.get_response(middleware)
    answers.append({'status': response.status_code, 'body': response.json_body,
                    'www_authenticate': response.headers.get('WWW-Authenticate')})
print(json.dumps(answers))
`;

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

const HEADERS: (string | null)[] = [
  null,
  '',
  'Basic',
  'Basic ',
  `Basic ${b64('admin:s3cret')}`,
  `basic ${b64('admin:s3cret')}`,
  `  Basic   ${b64('admin:s3cret')}  `,
  `Basic ${b64('admin:wrong')}`,
  `Basic ${b64('admin:')}`,
  `Basic ${b64('nobody:s3cret')}`,
  `Basic ${b64('admin')}`,
  `Basic ${b64('admin:s3cret:more')}`,
  `Basic ${b64('ad:min:s3cret')}`,
  'Basic !!!!',
  'Basic YWRtaW46czNjcmV0', // admin:s3cret without padding trouble
  'Basic YWRtaW46czNjcmV',
  'Bearer abcdef',
  'Digest username="admin"',
  `Basic ${b64('admin:s3cret')} trailing`,
];

describe.runIf(RUN)("http_basic answers as ironic-lib's BasicAuthMiddleware", () => {
  let dir: string;
  let file: string;
  let conductor: Conductor;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'auth-ironic-lib-'));
    file = join(dir, 'htpasswd');
    const hash = await new Promise<string>((resolve, reject) =>
      execFile(
        SYSTEM_PYTHON,
        ['-c', "import bcrypt; print(bcrypt.hashpw(b's3cret', bcrypt.gensalt(4)).decode())"],
        (error, stdout) => (error ? reject(error) : resolve(stdout.trim())),
      ),
    );
    await writeFile(file, `admin:${hash}\n`);
    conductor = await createConductor(
      defineConfig({
        database: { data_dir: 'memory://' },
        drivers: { enabled: ['@ironic/driver-fake'] },
        api: { auth_strategy: 'http_basic', http_basic_auth_user_file: file },
      }),
      { logger: pino({ level: 'silent' }) },
    );
    await conductor.start({ listen: false });
  });
  afterAll(async () => {
    await conductor?.stop({ timeout: 1000 });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('for every kind of Authorization header: status, body and WWW-Authenticate', async () => {
    const reference = await new Promise<{ status: number; body: unknown; www_authenticate: string | null }[]>(
      (resolve, reject) => {
        const child = execFile(SYSTEM_PYTHON, ['-c', REFERENCE], (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
        );
        child.stdin?.end(JSON.stringify({ file, headers: HEADERS }));
      },
    );
    for (const [index, header] of HEADERS.entries()) {
      const expected = reference[index]!;
      const response = await conductor.api.inject({
        method: 'GET',
        url: '/v1/nodes',
        headers: header === null ? {} : { authorization: header },
      });
      const actual = {
        status: response.statusCode,
        body: expected.status === 200 ? { ok: true } : response.json(),
        www_authenticate: response.headers['www-authenticate'] ?? null,
      };
      expect(actual, `Authorization: ${JSON.stringify(header)}`).toEqual(expected);
    }
  });
});
