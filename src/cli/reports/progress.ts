import type { RunEvent } from '../../run/trial.js';
import type { Output } from '../program.js';

/** One line on stderr, rewritten in place as trials finish; only on a terminal, never in a pipe. */
export class TrialProgress {
  private shown = false;

  constructor(
    private readonly stderr: Output,
    private readonly enabled: boolean,
  ) {}

  update(event: RunEvent): void {
    if (!this.enabled || event.type !== 'trial' || event.of === 1) return;
    this.stderr.write(`\r\u001b[K${event.mode}: trial ${event.trial} of ${event.of}, the race showed in ${event.raced}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.stderr.write('\r\u001b[K');
    this.shown = false;
  }
}
