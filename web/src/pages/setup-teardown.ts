/**
 * The controller console's teardown of the live range: a confirmation dialog that asks for the
 * exercise id, then `POST /api/range/teardown`, and the counts of what was removed.
 * Stable hooks: #teardown-open, #teardown-dialog, #teardown-confirm-id, #teardown-go, #teardown-status.
 */
import type { TeardownResult } from '../../../src/wire/setup';
import { ApiFailure, api } from '../api';
import { h } from '../dom';
import { t } from '../i18n';
import { statusLine } from '../layout';

export function teardownPanel(): HTMLElement {
  const status = statusLine();
  status.id = 'teardown-status';
  const id = h('input', { id: 'teardown-confirm-id', type: 'text', autocomplete: 'off', required: true });
  const dialog = h(
    'dialog',
    { id: 'teardown-dialog', 'aria-labelledby': 'teardown-dialog-h' },
    h(
      'form',
      { method: 'dialog' },
      h('h3', { id: 'teardown-dialog-h' }, t('ctl.teardownButton')),
      h('p', {}, t('ctl.teardownHelp')),
      h('label', { for: 'teardown-confirm-id' }, t('ctl.teardownPrompt')),
      id,
      h(
        'div',
        { class: 'buttons' },
        h(
          'button',
          { type: 'submit', value: 'cancel', class: 'secondary', formnovalidate: true },
          t('ctl.teardownCancel'),
        ),
        h(
          'button',
          { type: 'submit', value: 'go', class: 'danger', id: 'teardown-go' },
          t('ctl.teardownConfirm'),
        ),
      ),
    ),
  );
  dialog.addEventListener('close', async () => {
    if (dialog.returnValue !== 'go') return;
    status.className = 'status';
    status.textContent = '…';
    try {
      const r = await api<TeardownResult>('POST', '/api/range/teardown', { confirm: id.value.trim() });
      status.className = 'status ok';
      status.textContent = t('ctl.teardownDone', {
        containers: r.containers,
        networks: r.networks,
        volumes: r.volumes,
        exercise: r.exercise,
        seconds: (r.ms / 1000).toFixed(1),
      });
    } catch (e) {
      status.className = 'status error';
      status.textContent = t('error.generic', {
        message: e instanceof ApiFailure ? e.body.message : String(e),
      });
    }
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'teardown-h', id: 'teardown-card' },
    h('h2', { id: 'teardown-h' }, t('ctl.teardown')),
    h('p', { class: 'muted' }, t('ctl.teardownHelp')),
    h(
      'button',
      {
        type: 'button',
        class: 'danger',
        id: 'teardown-open',
        onclick: () => {
          dialog.returnValue = '';
          dialog.showModal();
        },
      },
      t('ctl.teardownButton'),
    ),
    status,
    dialog,
  );
}
