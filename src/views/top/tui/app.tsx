// The top TUI: ink renders the lines screen() computes and feeds keys to
// onKey(); the sampling loop lives outside and is reached through TopFeed.
import { useEffect, useReducer, useRef, useState } from 'react';
import { Box, Text, useInput, useStdin, useStdout } from 'ink';
import { wantsOf } from '../rows.js';
import type { ViewName, ViewOptions } from '../rows.js';
import type { SampleWants } from '../../../model/sampler.js';
import { screen, initialUi, UiState, FeedState, LineStyle } from './screen.js';
import { onKey, splitChunk, KeyPress, Action } from './keys.js';

/** What the UI needs from the sampling loop. */
export interface TopFeed extends FeedState {
  /** Calls `fn` after every new observation or state change; returns the unsubscribe. */
  subscribe(fn: () => void): () => void;
  act(action: Exclude<Action, 'quit'>): void;
  /** What the shown view needs read (a view that needs more gets a reading at once). */
  want(wants: SampleWants): void;
}

export interface TopAppProps {
  feed: TopFeed;
  options: ViewOptions;
  initialView?: ViewName;
  onQuit: () => void;
}

const F6 = '\x1b[17~';

function style(s: LineStyle): { inverse?: boolean; bold?: boolean; dimColor?: boolean; color?: string } {
  switch (s) {
    case 'title': return { bold: true };
    case 'header': return { inverse: true, bold: true };
    case 'selected': return { inverse: true };
    case 'note': return { color: 'yellow' };
    case 'dim': return { dimColor: true };
    default: return {};
  }
}

function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 100, rows: stdout.rows || 30 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    // ink re-lays out on resize but does not re-render components: keep the size in state.
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

export function TopApp({ feed, options, initialView, onQuit }: TopAppProps) {
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const [ui, setUi] = useState<UiState>(() => initialUi(initialView));
  const size = useTerminalSize();
  useEffect(() => feed.subscribe(redraw), [feed]);
  useEffect(() => feed.want(wantsOf([ui.view])), [feed, ui.view]);
  const view = screen(ui, feed, size, options);
  // Keys can arrive faster than React renders (`/` then `abc` in one burst): each key
  // must see the state the previous key left, so the state also lives in a ref
  // updated as each key is handled.
  const current = useRef(ui);
  const shown = useRef(view);
  shown.current = view;

  const press = (chunk: KeyPress) => {
    const page = Math.max(1, size.rows - 8);
    for (const k of splitChunk(chunk)) {
      const r = onKey({ ...current.current, selected: current.current.selected ?? shown.current.selected }, k,
        { rows: shown.current.rows, columns: shown.current.columns, page });
      current.current = r.ui;
      if (r.action === 'quit') return onQuit();
      if (r.action) feed.act(r.action);
    }
    setUi(current.current);
  };

  useInput((input, key) => press({ ...key, input }));
  // ink names no function keys: F6 arrives only as raw input.
  const { internal_eventEmitter: events } = useStdin() as unknown as { internal_eventEmitter?: NodeJS.EventEmitter };
  useEffect(() => {
    const onRaw = (data: string) => {
      if (data === F6) press({ input: '', f6: true });
    };
    events?.on('input', onRaw);
    return () => {
      events?.off('input', onRaw);
    };
  }, [events]);

  return (
    <Box flexDirection="column">
      {view.lines.map((l, i) => (
        <Text key={i} wrap="truncate" {...style(l.style)}>{l.text || ' '}</Text>
      ))}
    </Box>
  );
}
