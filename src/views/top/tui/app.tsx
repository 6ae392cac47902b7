// The top TUI: ink renders the lines screen() computes and feeds keys to
// onKey(); the sampling loop lives outside and is reached through TopFeed.
import { useEffect, useReducer, useRef, useState } from 'react';
import { Box, Text, Transform, useInput, useStdin, useStdout } from 'ink';
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

/**
 * SGR codes per line style. Inverse and bold are not colours, so NO_COLOR
 * (https://no-color.org) drops only the notes' yellow.
 */
const SGR: Record<NonNullable<LineStyle>, [open: string, close: string]> = {
  title: ['\x1b[1m', '\x1b[22m'],
  header: ['\x1b[1;7m', '\x1b[22;27m'],
  selected: ['\x1b[7m', '\x1b[27m'],
  note: process.env.NO_COLOR === undefined ? ['\x1b[33m', '\x1b[39m'] : ['', ''],
  dim: ['\x1b[2m', '\x1b[22m'],
};

const styled = (text: string, s: LineStyle) => (s ? `${SGR[s][0]}${text}${SGR[s][1]}` : text);

/** Spaces as wide as the terminal, one string per width (see Line). */
const blanks = new Map<number, string>();
const blank = (w: number) => {
  let b = blanks.get(w);
  if (b === undefined) blanks.set(w, (b = ' '.repeat(w)));
  return b;
};

/**
 * One screen line. ink 6 caches the size of every distinct text it lays out,
 * forever (ink#986): a top whose numbers change every second would grow by
 * hundreds of MB a day. So ink lays out a constant line of spaces, and the
 * Transform puts the real (never wider) line in its place when drawing.
 */
function Line({ text, style, width }: { text: string; style: LineStyle; width: number }) {
  return (
    <Transform transform={() => styled(text, style)}>
      <Text>{blank(width)}</Text>
    </Transform>
  );
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
      {view.lines.map((l, i) => <Line key={i} text={l.text} style={l.style} width={Math.max(1, size.columns)} />)}
    </Box>
  );
}
