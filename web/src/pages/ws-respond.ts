/**
 * Response actions: a small form (action, target, reason), a confirmation step that says exactly
 * what will be done, then the server's result in plain words. Used from the host detail and the
 * Respond page.
 */
import type { ActionInput, ActionName, ActionView } from '../../../src/wire/actions';
import { ApiFailure, api } from '../api';
import { h, mount } from '../dom';
import { scenarioClock } from '../time';
import { teamBase, wt } from './ws-common';

/** The actions a team starts from the workspace, and the target each one takes. */
const TARGETS: Record<ActionName, 'host' | 'domain' | 'ip' | 'account' | 'process' | 'evidence'> = {
  'host.isolate': 'host',
  'host.release': 'host',
  'host.restore': 'host',
  'proxy.block': 'domain',
  'proxy.unblock': 'domain',
  'firewall.block': 'ip',
  'firewall.unblock': 'ip',
  'account.disable': 'account',
  'account.enable': 'account',
  'account.reset': 'account',
  'process.kill': 'process',
  'evidence.collect': 'evidence',
};

const ORDER: ActionName[] = [
  'host.isolate',
  'host.release',
  'proxy.block',
  'firewall.block',
  'account.disable',
  'process.kill',
  'evidence.collect',
  'proxy.unblock',
  'firewall.unblock',
  'account.enable',
  'account.reset',
  'host.restore',
];

/** One line naming an action and its target: `Isolate host pc-victim`. */
export function describeAction(input: ActionInput): string {
  const name = wt(`a.${input.action}`);
  switch (input.action) {
    case 'proxy.block':
    case 'proxy.unblock':
      return `${name} ${input.domain}`;
    case 'firewall.block':
    case 'firewall.unblock':
      return `${name} ${input.ip}`;
    case 'account.disable':
    case 'account.enable':
    case 'account.reset':
      return `${name} ${input.account}`;
    case 'process.kill':
      return `${name} ${input.process} @ ${input.host}`;
    case 'evidence.collect':
      return `${name} (${input.kind}${input.path ? ` ${input.path}` : ''}) @ ${input.host}`;
    default:
      return `${name} ${input.host}`;
  }
}

export interface ActionFormOptions {
  team: string;
  /** Actions offered (all by default). */
  actions?: ActionName[];
  host?: string;
  /** Called with the stored action once the server accepted it. */
  onDone?: (action: ActionView) => void;
}

/** The form with its confirmation step and result box. */
export function actionForm(opts: ActionFormOptions): HTMLElement {
  const offered = opts.actions ?? ORDER;
  const box = h('div', { class: 'ws-respond' });
  const actionSel = h(
    'select',
    { id: 'action-name' },
    ...offered.map((a) => h('option', { value: a }, wt(`a.${a}`))),
  );
  const hostIn = h('input', { id: 'action-host', type: 'text', value: opts.host ?? '', size: 18 });
  const domainIn = h('input', { id: 'action-domain', type: 'text', size: 24 });
  const ipIn = h('input', { id: 'action-ip', type: 'text', size: 16 });
  const accountIn = h('input', { id: 'action-account', type: 'text', size: 18 });
  const processIn = h('input', { id: 'action-process', type: 'text', size: 24 });
  const kindSel = h(
    'select',
    { id: 'action-kind' },
    h('option', { value: 'processes' }, 'processes'),
    h('option', { value: 'files' }, 'files'),
    h('option', { value: 'hash' }, 'hash'),
  );
  const pathIn = h('input', { id: 'action-path', type: 'text', size: 24 });
  const reasonIn = h('input', { id: 'action-reason', type: 'text', size: 30 });
  const fields = h('div', { class: 'ws-query' });
  const step = h('div', { 'aria-live': 'polite' });

  function input(): ActionInput {
    const action = actionSel.value as ActionName;
    const reason = reasonIn.value.trim() || undefined;
    const host = hostIn.value.trim();
    const r = reason ? { reason } : {};
    switch (TARGETS[action]) {
      case 'domain':
        return { action, domain: domainIn.value.trim(), ...r } as ActionInput;
      case 'ip':
        return { action, ip: ipIn.value.trim(), ...r } as ActionInput;
      case 'account':
        return { action, account: accountIn.value.trim(), ...r } as ActionInput;
      case 'process':
        return { action: 'process.kill', host, process: processIn.value.trim(), ...r };
      case 'evidence': {
        const kind = kindSel.value as 'processes' | 'files' | 'hash';
        const path = pathIn.value.trim();
        return { action: 'evidence.collect', host, kind, ...(path ? { path } : {}), ...r };
      }
      default:
        return { action, host, ...r } as ActionInput;
    }
  }

  function label(text: string, el: HTMLElement): HTMLElement {
    return h('label', {}, text, el);
  }

  function renderFields(): void {
    const target = TARGETS[actionSel.value as ActionName];
    const hostField = opts.host ? null : label(wt('resp.host'), hostIn);
    const targetFields: (HTMLElement | null)[] =
      target === 'domain'
        ? [label(wt('resp.domain'), domainIn)]
        : target === 'ip'
          ? [label(wt('resp.ip'), ipIn)]
          : target === 'account'
            ? [label(wt('resp.account'), accountIn)]
            : target === 'process'
              ? [hostField, label(wt('resp.process'), processIn)]
              : target === 'evidence'
                ? [hostField, label(wt('resp.kind'), kindSel), label(wt('resp.path'), pathIn)]
                : [hostField];
    mount(
      fields,
      label(wt('resp.action'), actionSel),
      ...targetFields,
      label(wt('resp.reason'), reasonIn),
      h('button', { type: 'submit', class: 'primary', id: 'action-review' }, wt('resp.review')),
    );
  }
  actionSel.onchange = () => {
    mount(step);
    renderFields();
  };

  async function run(what: ActionInput, confirmBtn: HTMLButtonElement): Promise<void> {
    confirmBtn.disabled = true;
    confirmBtn.textContent = wt('resp.running');
    try {
      const r = await api<{ action: ActionView }>('POST', `${teamBase(opts.team)}/actions`, what);
      const a = r.action;
      mount(
        step,
        h(
          'div',
          { class: `ws-result ${a.result.ok ? 'ok' : 'fail'}`, id: 'action-result', role: 'status' },
          h('strong', {}, a.result.ok ? `✓ ${wt('resp.ok')}` : `✗ ${wt('resp.fail')}`, ': '),
          describeAction(a.input),
          h('div', {}, a.result.changed),
          a.result.output ? h('pre', {}, a.result.output) : null,
        ),
      );
      opts.onDone?.(a);
    } catch (e) {
      mount(
        step,
        h(
          'div',
          { class: 'ws-result fail', id: 'action-result', role: 'alert' },
          h('strong', {}, `✗ ${wt('resp.fail')}: `),
          describeAction(what),
          h('div', {}, e instanceof ApiFailure ? e.message : String(e)),
        ),
      );
    }
  }

  const form = h(
    'form',
    {
      id: 'action-form',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const what = input();
        const confirmBtn = h(
          'button',
          { type: 'button', class: 'danger', id: 'action-confirm' },
          wt('resp.confirm'),
        );
        confirmBtn.onclick = () => void run(what, confirmBtn);
        mount(
          step,
          h(
            'div',
            {
              class: 'ws-confirm',
              id: 'action-confirmation',
              role: 'alertdialog',
              'aria-label': wt('resp.confirm'),
            },
            h('p', {}, h('strong', {}, wt('resp.confirmQ', { what: describeAction(what) }))),
            h('p', { class: 'muted' }, wt('resp.confirmHelp')),
            h(
              'div',
              { class: 'buttons' },
              confirmBtn,
              h(
                'button',
                {
                  type: 'button',
                  class: 'button secondary',
                  id: 'action-cancel',
                  onclick: () => mount(step),
                },
                wt('resp.cancel'),
              ),
            ),
          ),
        );
        confirmBtn.focus();
      },
    },
    fields,
  );
  renderFields();
  mount(box, form, step);
  return box;
}

/** The team's actions, newest first. */
export function actionList(actions: ActionView[]): HTMLElement {
  if (actions.length === 0) return h('p', { class: 'empty' }, wt('resp.none'));
  return h(
    'table',
    { class: 'ws-results', id: 'action-list' },
    h(
      'tbody',
      {},
      ...[...actions]
        .reverse()
        .map((a) =>
          h(
            'tr',
            { 'data-action': a.id },
            h('td', { class: 'time' }, scenarioClock(a.scenarioTime)),
            h(
              'td',
              {},
              h('span', { class: `ws-state ${a.result.ok ? '' : 'isolated'}` }, a.result.ok ? '✓' : '✗'),
            ),
            h(
              'td',
              {},
              h('strong', {}, describeAction(a.input)),
              h('div', { class: 'muted' }, a.result.changed),
            ),
            h(
              'td',
              { class: 'muted' },
              wt('resp.by', { who: a.actor }),
              a.undone ? h('div', {}, wt('resp.undone', { who: a.undone.by, why: a.undone.reason })) : null,
            ),
          ),
        ),
    ),
  );
}
