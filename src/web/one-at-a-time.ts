import { UsageError } from '../errors.js';

/**
 * Wraps a view's click handlers: a click while another's work is under way is ignored (workers are
 * stepping), and after the work the view is drawn again, with what went wrong where something did.
 */
export function oneAtATime(render: (message?: string) => void): (work: () => Promise<void>) => Promise<void> {
  let busy = false;
  return async (work) => {
    if (busy) return;
    busy = true;
    try {
      await work();
      render();
    } catch (error) {
      render(messageOf(error));
    } finally {
      busy = false;
    }
  };
}

/** A usage error names the page's own field ("schedule"), where the CLI would name its option. */
function messageOf(error: unknown): string {
  if (error instanceof UsageError) return error.render((field) => field);
  return error instanceof Error ? error.message : String(error);
}
