/**
 * Respond: the response-action form (isolate/release, block a domain or IP, disable an account,
 * kill a process, collect evidence) with its confirmation step, and the team's actions as they
 * happen (pushed over the socket).
 */
import type { ActionView } from '../../../src/wire/actions';
import type { Me } from '../../../src/wire/views';
import { api } from '../api';
import { h, mount } from '../dom';
import { onLangChange } from '../i18n';
import { frame } from '../layout';
import { live } from '../live';
import { teamBase, wt } from './ws-common';
import { actionForm, actionList } from './ws-respond';

export function respondPage(me: Me): void {
  const team = me.team!;
  const base = teamBase(team);
  let actions: ActionView[] = [];
  const listBox = h('div', { id: 'actions' });

  function merge(a: ActionView): void {
    actions = [...actions.filter((x) => x.id !== a.id), a].sort((x, y) => x.id - y.id);
    mount(listBox, actionList(actions));
  }

  function render(): void {
    const main = frame('respond', me);
    mount(
      main,
      h(
        'div',
        { class: 'ws-grid halves' },
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'resp-h' },
          h('h2', { id: 'resp-h' }, wt('resp.new')),
          actionForm({ team, onDone: merge }),
        ),
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'hist-h' },
          h('h2', { id: 'hist-h' }, wt('resp.history')),
          listBox,
        ),
      ),
    );
    mount(listBox, actionList(actions));
  }

  async function load(): Promise<void> {
    try {
      const r = await api<{ actions: ActionView[] }>('GET', `${base}/actions`);
      for (const a of r.actions) merge(a);
      mount(listBox, actionList(actions));
    } catch {
      // the socket fills it in
    }
  }

  const socket = live();
  socket.on('team:action', (a) => {
    if (a.team === team) merge(a);
  });
  socket.on('connect', () => void load());
  onLangChange(render);
  render();
  void load();
}
