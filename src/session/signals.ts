/**
 * SIGINT/SIGTERM for a session. The first signal asks for a graceful stop (the current step
 * finishes, `end` hooks save and flush); a second one, or the grace period running out before
 * close() finishes, aborts: `onAbort(signal)`, by default `process.exit(128 + signo)`.
 */
import * as os from 'node:os';

function signalNumber(sig: NodeJS.Signals): number {
  return (os.constants.signals as Record<string, number>)[sig] ?? 0;
}

export interface SignalOptions {
  /** After the first signal, how long close() may take before the session aborts (default 120). */
  stopGracePeriodSecs?: number;
  /** Called on hard abort. Default: process.exit(128 + signo). */
  onAbort?: (signal: NodeJS.Signals) => void;
}

export class SessionSignals {
  private received: NodeJS.Signals | undefined;
  private count = 0;
  private handler: ((s: NodeJS.Signals) => void) | undefined;
  private graceTimer: NodeJS.Timeout | undefined;
  private readonly abortController = new AbortController();

  /** @param onFirst asks the session to stop, gracefully */
  constructor(
    private readonly opts: SignalOptions,
    private readonly onFirst: (sig: NodeJS.Signals) => void,
  ) {}

  /** The signal received, if any. */
  get signal(): NodeJS.Signals | undefined {
    return this.received;
  }

  /** 130 (SIGINT), 143 (SIGTERM); undefined without a signal. */
  get exitCode(): number | undefined {
    return this.received ? 128 + signalNumber(this.received) : undefined;
  }

  /** Aborted on hard abort (second signal or grace period). */
  get abortSignal(): AbortSignal {
    return this.abortController.signal;
  }

  get installed(): boolean {
    return this.handler !== undefined;
  }

  install(): void {
    const handler = (sig: NodeJS.Signals): void => {
      this.count++;
      if (this.count === 1) {
        this.received = sig;
        this.onFirst(sig);
        const grace = (this.opts.stopGracePeriodSecs ?? 120) * 1000;
        this.graceTimer = setTimeout(() => this.abort(sig, 'stopGracePeriodSecs elapsed'), grace);
        this.graceTimer.unref();
      } else {
        this.abort(sig, `second ${sig}`);
      }
    };
    this.handler = handler;
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  }

  uninstall(): void {
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
    if (this.handler) {
      process.removeListener('SIGINT', this.handler);
      process.removeListener('SIGTERM', this.handler);
      this.handler = undefined;
    }
  }

  private abort(sig: NodeJS.Signals, why: string): void {
    this.abortController.abort(new Error(`aborted: ${why}`));
    if (this.opts.onAbort) {
      this.opts.onAbort(sig);
      return;
    }
    console.error(`tbkit: aborting (${why})`);
    process.exit(128 + signalNumber(sig));
  }
}
