/**
 * Real TensorBoard for the compatibility test: finds the binary, serves a logdir on a loopback
 * port in one of its two loaders, waits until the data is loaded, and talks to its HTTP data API
 * as the frontend does.
 *
 * The binary: `$TBKIT_TENSORBOARD` (an error if it does not exist), else
 * `.cache/tbvenv/bin/tensorboard` in the repo (where `.ci/run` builds the venv), else none and the
 * test skips: a user's `npm test` needs no Python.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export type Loader = 'rust' | 'python';

const REPO = path.resolve(__dirname, '..', '..');

export function findTensorBoard(): string | undefined {
  const env = process.env.TBKIT_TENSORBOARD;
  if (env) {
    // Asked for explicitly: a wrong path is an error, not a reason to skip.
    if (!fs.existsSync(env)) throw new Error(`TBKIT_TENSORBOARD=${env}: no such file; point it at a tensorboard binary (e.g. <venv>/bin/tensorboard) or unset it`);
    return env;
  }
  const local = path.join(REPO, '.cache', 'tbvenv', 'bin', 'tensorboard');
  return fs.existsSync(local) ? local : undefined;
}

/** One comparison, run against each loader. */
export interface Check {
  name: string;
  run: (tb: TensorBoardServer) => Promise<void>;
}

export interface Response {
  status: number;
  contentType: string;
  body: Buffer;
}

export class TensorBoardServer {
  /** Everything TensorBoard printed (tracebacks of HTTP 500s land here). */
  output = '';
  private constructor(readonly loader: Loader, readonly url: string, private readonly child: ChildProcess) {}

  /**
   * Starts `tensorboard --logdir … --port 0 --host 127.0.0.1` (the OS picks a free port; TensorBoard
   * prints the URL) with `--load_fast=true` (RustBoard, the default) or `false` (the Python loader).
   * `extraArgs` come last, so they override these (the bench passes its own reload interval and
   * samples per plugin).
   */
  static start(bin: string, logdir: string, loader: Loader, timeoutMs = 60_000, extraArgs: readonly string[] = []): Promise<TensorBoardServer> {
    const args = ['--logdir', logdir, '--port', '0', '--host', '127.0.0.1', '--reload_interval', '1',
      `--load_fast=${loader === 'rust'}`, '--samples_per_plugin', 'images=100,audio=100', ...extraArgs];
    // A watchdog shell holds TensorBoard: when this process dies in any way (even SIGKILL, or a
    // closed pipe), the shell's stdin closes and it stops TensorBoard; TensorBoard's data server
    // dies with it (--die-after-stdin). Its own process group, so that a stop can reach all three.
    const watchdog = [
      'exec 3<&0',
      '"$0" "$@" </dev/null & tb=$!',
      '( read -r _ <&3; kill -TERM "$tb" 2>/dev/null ) & reader=$!',
      'wait "$tb"; code=$?',
      'kill "$reader" 2>/dev/null',
      'exit "$code"',
    ].join('\n');
    const child = spawn('/bin/sh', ['-c', watchdog, bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    return new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => fail(new Error(`TensorBoard (${loader}) printed no URL within ${timeoutMs} ms:\n${out}`)), timeoutMs);
      const fail = (e: Error): void => {
        clearTimeout(timer);
        killGroup(child.pid);
        reject(e);
      };
      const onData = (d: Buffer): void => {
        out += d.toString();
        const m = /TensorBoard \S+ at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
        if (m && !server) {
          clearTimeout(timer);
          server = new TensorBoardServer(loader, m[1], child);
          server.output = out;
          resolve(server);
        } else if (server) server.output += d.toString();
      };
      let server: TensorBoardServer | undefined;
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.on('error', fail);
      child.on('exit', (code) => { if (!server) fail(new Error(`TensorBoard (${loader}) exited with ${code}:\n${out}`)); });
    });
  }

  async get(route: string, init?: RequestInit): Promise<Response> {
    const r = await fetch(this.url + route, init);
    return { status: r.status, contentType: r.headers.get('content-type') ?? '', body: Buffer.from(await r.arrayBuffer()) };
  }

  /** GET, expecting HTTP 200 and JSON; the error names the route, status and body. */
  async json<T = unknown>(route: string): Promise<T> {
    return parseJson<T>(route, await this.get(route));
  }

  /** POST a JSON body as the HParams dashboard does (`Content-Type: text/plain`). */
  async postJson<T = unknown>(route: string, body: unknown): Promise<T> {
    return parseJson<T>(route, await this.get(route, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify(body) }));
  }

  /**
   * Waits until `ready()` returns true (polled; RustBoard loads in the background, the Python
   * loader in its first reload pass). A string from `ready()` says what is still missing.
   */
  async waitUntil(what: string, ready: () => Promise<true | string>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let missing = 'no answer yet';
    for (;;) {
      try {
        const r = await ready();
        if (r === true) return;
        missing = r;
      } catch (e) {
        missing = (e as Error).message;
      }
      if (Date.now() > deadline) throw new Error(`TensorBoard (${this.loader}) did not load ${what} within ${timeoutMs} ms (${missing}):\n${this.output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Stops TensorBoard (closing the watchdog's stdin) and waits until it has exited. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
      const hard = setTimeout(() => killGroup(this.child.pid), 10_000);
      this.child.stdin!.end();
      await exited;
      clearTimeout(hard);
    }
    killGroup(this.child.pid); // a data server still shutting down
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch { /* the group is gone */ }
}

function parseJson<T>(route: string, r: Response): T {
  const text = r.body.toString('utf8');
  if (r.status !== 200) throw new Error(`${route}: HTTP ${r.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}
