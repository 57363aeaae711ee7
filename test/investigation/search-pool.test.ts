/**
 * Searches in worker threads give the same pages as the engine's in-process search, keep the
 * event loop free meanwhile, and a full queue or a deadline answers instead of piling up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlan } from '../../src/cli/load-plan';
import { buildTeamModel } from '../../src/engine/simulation/team-model';
import { EventStore } from '../../src/engine/store/event-store';
import { TelemetryTable } from '../../src/engine/store/telemetry-table';
import { TeamTelemetry } from '../../src/engine/telemetry/team-telemetry';
import { SearchPool, SearchPoolBusy, SearchTimeout } from '../../src/server/investigation/search-pool';

const REGISTER = join(__dirname, '../support/register-ts.js');
const EPOCH = Date.UTC(2026, 0, 5, 1);
const NOW = EPOCH + 8 * 3600_000;
const plan = loadPlan(join(__dirname, '../../scenarios/quickstart.yaml'), { fidelity: 'simulated' });
let dir: string;
let store: EventStore;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cyrange-pool-'));
  store = new EventStore(join(dir, 'x.db'));
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function pool(options: ConstructorParameters<typeof SearchPool>[1] = {}): SearchPool {
  return new SearchPool(
    { dbPath: join(dir, 'x.db'), session: 's', plan, epochMs: EPOCH },
    { execArgv: ['--require', REGISTER], ...options },
  );
}

it('answers the same page and histogram as the in-process search, without holding the event loop', async () => {
  const p = pool();
  try {
    const query = { from: NOW - 86_400_000, to: NOW, text: 'bypass', limit: 50 };
    const inline = new TeamTelemetry(
      buildTeamModel(plan, plan.teams[0]!, EPOCH),
      new TelemetryTable(store.db),
      's',
      () => NOW,
    );
    const want = inline.search(query);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const got = await p.run({ team: 't01', query, interval: 3600_000, nowMs: NOW });
    clearInterval(timer);
    expect(got.page).toEqual(want);
    expect(got.histogram).toEqual(inline.histogram(query, 3600_000));
    expect(ticks).toBeGreaterThan(0);
  } finally {
    await p.close();
  }
}, 30_000);

it('refuses beyond its queue and ends a search past its deadline', async () => {
  const p = pool({ maxQueue: 1, timeoutMs: 1 });
  try {
    const query = { from: NOW - 86_400_000, to: NOW, text: 'bypass', limit: 500 };
    const first = p.run({ team: 't01', query, nowMs: NOW });
    const second = p.run({ team: 't01', query, nowMs: NOW });
    await expect(p.run({ team: 't01', query, nowMs: NOW })).rejects.toBeInstanceOf(SearchPoolBusy);
    await expect(first).rejects.toBeInstanceOf(SearchTimeout);
    await expect(second).rejects.toBeInstanceOf(SearchTimeout);
  } finally {
    await p.close();
  }
}, 30_000);
