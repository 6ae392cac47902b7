// The four views by name.
import type { Observation } from '../../model/observation.js';
import { ViewName, ViewOptions, ViewTable } from './rows.js';
import { portsView } from './ports.js';
import { countersView } from './counters.js';
import { processesView } from './processes.js';
import { namespacesView } from './namespaces.js';

export function buildView(view: ViewName, o: Observation, opts: ViewOptions = {}): ViewTable {
  switch (view) {
    case 'ports': return portsView(o);
    case 'counters': return countersView(o);
    case 'processes': return processesView(o, opts);
    case 'namespaces': return namespacesView(o);
  }
}
