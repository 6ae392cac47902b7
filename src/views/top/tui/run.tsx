// Runs the top TUI on the terminal: the alternate screen while it runs, and
// the terminal restored however it ends (q, Ctrl-C, a signal, an error).
// Loaded only in TUI mode: ink and react cost ~0.9 s of start-up.
import { render } from 'ink';
import { TopApp, TopAppProps } from './app.js';

export interface TuiHandle {
  /** Resolves when the UI has been closed. */
  closed: Promise<void>;
  /** Unmounts and restores the terminal (idempotent). */
  close(): void;
}

export function runTui(props: Omit<TopAppProps, 'onQuit'>): TuiHandle {
  const out = process.stdout;
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    out.write('\x1b[?25h\x1b[?1049l'); // cursor back, main screen back
  };
  out.write('\x1b[?1049h\x1b[H');
  let close = () => {};
  const closed = new Promise<void>((resolve) => {
    // Unmount before restoring: ink's exit hook would otherwise redraw on the main screen.
    const app = render(<TopApp {...props} onQuit={() => close()} />, { exitOnCtrlC: false, patchConsole: false });
    close = () => {
      app.unmount();
      restore();
      resolve();
    };
    app.waitUntilExit().then(() => close(), () => close());
  });
  process.once('exit', () => close());
  return { closed, close: () => close() };
}
