/**
 * Process-wide registry of open writers, flushed synchronously when the process goes away.
 *
 * The most common TensorBoard complaint is data missing because the last events were still queued
 * at exit. Listeners are installed lazily (first open writer) and removed when the last one closes,
 * so a process that never logs is untouched.
 *
 * - 'exit': fires on normal exit, process.exit(), and after an uncaught exception (Node prints the
 *   error, emits 'exit', exits 1). We deliberately add NO 'uncaughtException' listener: that would
 *   change Node's behavior (the exception would be considered handled).
 * - SIGINT/SIGTERM: having a listener disables Node's default "die with the signal". So after
 *   flushing, if ours is the only listener, we remove it and re-raise the signal: the process then
 *   dies exactly as it would have (exit status 130/143 in a shell, `signal` set for a parent).
 *   If the application has its own listener, it owns the shutdown and we only flush.
 */

export interface ExitFlushable {
  /** Writes pending data synchronously; must never throw. */
  flushOnExit(): void;
}

const open = new Set<ExitFlushable>();
let installed = false;

function flushAll(): void {
  for (const w of open) {
    try {
      w.flushOnExit();
    } catch {
      // flushOnExit reports its own errors; never let one writer stop the others or the exit.
    }
  }
}

function onExit(): void {
  flushAll();
}

/**
 * Our listeners carry this mark, so that two copies of tbkit in one process (e.g. src via tsx and
 * dist) do not each see the other as "the application's handler" and never re-raise.
 */
const MARK = Symbol.for('tbkit.exit-flush');

function onSignal(signal: NodeJS.Signals): void {
  flushAll();
  const others = process.listeners(signal).filter((l) => !(l as unknown as Record<symbol, boolean>)[MARK]);
  if (others.length === 0) {
    uninstall();
    // With no listener left, Node restores the default disposition: the process dies of `signal`.
    process.kill(process.pid, signal);
  }
}
(onSignal as unknown as Record<symbol, boolean>)[MARK] = true;

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', onExit);
  for (const s of SIGNALS) process.on(s, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.removeListener('exit', onExit);
  for (const s of SIGNALS) process.removeListener(s, onSignal);
}

export function registerForExitFlush(w: ExitFlushable): void {
  open.add(w);
  install();
}

export function unregisterForExitFlush(w: ExitFlushable): void {
  open.delete(w);
  if (open.size === 0) uninstall();
}

/** For tests: how many writers are registered and whether listeners are installed. */
export function exitFlushState(): { writers: number; installed: boolean } {
  return { writers: open.size, installed };
}
