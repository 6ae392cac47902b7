// The steps of a combined move (device + netdevs), rollback included:
// `rxe0: moved to netns ns1` per line, or one JSON object per step with -j.
import { Output } from './output.js';
import type { MoveStep } from '../model/netns-move.js';

export function printMoveSteps(out: Output, steps: MoveStep[]): void {
  out.begin();
  for (const s of steps) {
    out.openRecord();
    out.kv('object', `${s.object}: `, s.object);
    out.kv('result', s.result, s.result);
    out.jsonOnly('ok', s.ok);
    out.closeRecord();
  }
}
