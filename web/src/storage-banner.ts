/**
 * A banner on every page while the exercise database refuses writes (disk full, read-only): a
 * participant whose report was refused learns why and that nothing recorded is lost, and the
 * controller sees the cause and the fix. The state comes from `exercise:storage` pushes.
 */
import type { StorageStateView } from '../../src/wire/storage';
import { h } from './dom';
import { t } from './i18n';
import { live } from './live';

let state: StorageStateView = { ok: true };
let listening = false;

function render(banner: HTMLElement): void {
  banner.hidden = state.ok;
  banner.textContent = state.ok ? '' : t('storage.refused', { message: state.message ?? state.cause ?? '' });
}

/** The banner for a page being drawn; it follows the pushes until the page is drawn again. */
export function storageBanner(): HTMLElement {
  const banner = h('div', { id: 'storage-banner', class: 'notice error', role: 'alert' });
  render(banner);
  if (!listening) {
    listening = true;
    live().on('exercise:storage', (next) => {
      state = next;
      const current = document.getElementById('storage-banner');
      if (current) render(current);
    });
  }
  return banner;
}
