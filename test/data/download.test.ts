import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import {
  DataError,
  MNIST_FILES,
  downloadMnistFile,
  loadMnist,
  locateMnist,
} from '../../src/experiments/bn/data';
import { MNIST_DIR, SKIP_NO_MNIST_GZ, TEST_CLASS_COUNTS, classCounts, linkInto, tempDir } from './helpers';

const skip = SKIP_NO_MNIST_GZ;
let server: http.Server;
let base = '';
const requests: string[] = [];

before(async () => {
  if (skip) return;
  const files = new Map<string, Buffer>();
  for (const spec of MNIST_FILES) files.set(spec.name, fs.readFileSync(path.join(MNIST_DIR, spec.name)));
  server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    requests.push(url);
    const [, mirror, name] = url.split('/');
    const body = files.get(name);
    if (mirror === 'stall') return; // never answers: the client must time out
    if (!body || mirror === 'missing') {
      res.writeHead(404, 'Not Found').end('not found');
      return;
    }
    if (mirror === 'redirect') {
      res.writeHead(302, { location: `/good/${name}` }).end();
      return;
    }
    if (mirror === 'corrupt') {
      const bad = Buffer.from(body);
      bad[Math.floor(bad.length / 2)] ^= 0xff;
      res.writeHead(200, { 'content-length': bad.length }).end(bad);
      return;
    }
    if (mirror === 'cut') {
      res.writeHead(200, { 'content-length': body.length });
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
      return;
    }
    res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  if (!server) return;
  server.closeAllConnections();
  server.close();
});

function md5(file: string): string {
  return createHash('md5').update(fs.readFileSync(file)).digest('hex');
}

function leftovers(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.part')) : [];
}

test('downloads into the cache: 404 mirror, then corrupt mirror (MD5 rejected), then the good one', { skip }, async () => {
  const xdg = tempDir();
  const cache = path.join(xdg, 'tbkit', 'mnist');
  const logs: string[] = [];
  requests.length = 0;
  const dir = await locateMnist({
    env: { XDG_CACHE_HOME: xdg },
    packageDir: null,
    mirrors: [`${base}/missing/`, `${base}/corrupt`, `${base}/good/`],
    timeoutMs: 5000,
    log: (m) => logs.push(m),
  });
  assert.equal(dir, cache);
  for (const spec of MNIST_FILES) {
    assert.equal(md5(path.join(cache, spec.name)), spec.md5, spec.name);
    assert.ok(requests.includes(`/missing/${spec.name}`));
    assert.ok(requests.includes(`/corrupt/${spec.name}`));
    assert.ok(requests.includes(`/good/${spec.name}`));
  }
  assert.deepEqual(leftovers(cache), []);
  assert.ok(logs.some((m) => /missing\/train-images-idx3-ubyte\.gz failed: HTTP 404/.test(m)), logs.join('\n'));
  assert.ok(logs.some((m) => /corrupt\/train-images-idx3-ubyte\.gz failed: MD5 mismatch.*rejected/.test(m)), logs.join('\n'));
  const test = await loadMnist(dir, { split: 'test' });
  assert.deepEqual(classCounts(test), TEST_CLASS_COUNTS);

  // Second call: served from the cache, no network.
  requests.length = 0;
  assert.equal(await locateMnist({ env: { XDG_CACHE_HOME: xdg }, mirrors: [`${base}/good/`] }), cache);
  assert.deepEqual(requests, []);
});

test('timeouts, truncated responses and redirects', { skip }, async () => {
  const dir = tempDir();
  const spec = MNIST_FILES.find((f) => f.key === 'testImages')!;
  const t0 = Date.now();
  const result = await downloadMnistFile(spec, dir, {
    mirrors: [`${base}/stall/`, `${base}/cut/`, `${base}/redirect/`],
    timeoutMs: 300,
  });
  assert.ok(result.ok, result.attempts.join('\n'));
  assert.equal(md5(path.join(dir, spec.name)), spec.md5);
  assert.equal(result.attempts.length, 2);
  assert.match(result.attempts[0], /stall\/t10k-images-idx3-ubyte\.gz: timed out/);
  assert.match(result.attempts[1], /cut\/t10k-images-idx3-ubyte\.gz: /);
  assert.ok(Date.now() - t0 < 5000);
  assert.deepEqual(leftovers(dir), []);
});

test('only the missing files are downloaded into a partial cache', { skip }, async () => {
  const cache = tempDir();
  for (const spec of MNIST_FILES.filter((f) => f.key !== 'trainLabels')) linkInto(cache, path.join(MNIST_DIR, spec.name));
  requests.length = 0;
  assert.equal(await locateMnist({ cacheDir: cache, env: {}, packageDir: null, mirrors: [`${base}/good/`] }), cache);
  assert.deepEqual(requests, ['/good/train-labels-idx1-ubyte.gz']);
});

test('all mirrors failing: one error with every place looked and every attempt', { skip }, async () => {
  const cache = path.join(tempDir(), 'cache');
  let err: unknown;
  try {
    await locateMnist({ cacheDir: cache, env: {}, packageDir: null, mirrors: [`${base}/missing/`, `${base}/corrupt/`, 'http://127.0.0.1:1/'], timeoutMs: 2000 });
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof DataError, String(err));
  const msg = err.message;
  assert.match(msg, /MNIST data not found/);
  assert.match(msg, /cache directory .*cache: no MNIST files/);
  assert.match(msg, /download train-images-idx3-ubyte\.gz: http:\/\/127\.0\.0\.1:\d+\/missing\/train-images-idx3-ubyte\.gz: HTTP 404/);
  assert.match(msg, /download train-images-idx3-ubyte\.gz: .*corrupt.*MD5 mismatch/);
  assert.match(msg, /127\.0\.0\.1:1\/train-images-idx3-ubyte\.gz: .*ECONNREFUSED/);
  // after one file failed everywhere, the others are not attempted (no pile-up of timeouts)
  assert.match(msg, /download t10k-labels-idx1-ubyte\.gz: not attempted/);
  assert.match(msg, /--data-dir DIR/);
  assert.match(msg, /--dataset synthetic/);
  assert.deepEqual(fs.readdirSync(cache), []);
});
