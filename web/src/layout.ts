/** The frame around every page: exercise title, who you are, navigation, language switch. */

import type { Me } from '../../src/wire/views';
import { api } from './api';
import { bootData } from './boot';
import { type Child, h, mount } from './dom';
import { lang, onLangChange, setLang, t } from './i18n';
import { wt } from './pages/ws-common';
import { storageBanner } from './storage-banner';

export type PageId =
  | 'team'
  | 'scoreboard'
  | 'controller'
  | 'join'
  | 'home'
  | 'terminal'
  | 'review'
  | 'investigate'
  | 'network'
  | 'respond';

function navFor(me: Me | undefined): { id: PageId; href: string; label: string }[] {
  if (!me) return [];
  const items: { id: PageId; href: string; label: string }[] = [];
  if (me.role === 'team') items.push({ id: 'team', href: '/team', label: t('nav.team') });
  if (me.role === 'team')
    items.push({ id: 'terminal', href: '/terminal', label: lang() === 'ja' ? 'ターミナル' : 'Terminals' });
  if (me.role === 'team')
    items.push({ id: 'investigate', href: '/investigate', label: wt('nav.investigate') });
  if (me.role === 'team') items.push({ id: 'network', href: '/network', label: wt('nav.network') });
  if (me.role === 'team') items.push({ id: 'respond', href: '/respond', label: wt('nav.respond') });
  if (me.role === 'controller' || me.role === 'evaluator')
    items.push({ id: 'controller', href: '/controller', label: t('nav.controller') });
  if (me.role === 'controller' || me.role === 'evaluator')
    items.push({ id: 'review', href: '/review', label: lang() === 'ja' ? '事後レビュー' : 'Review' });
  items.push({ id: 'scoreboard', href: '/scoreboard', label: t('nav.scoreboard') });
  return items;
}

/** Renders the frame into #app and returns the element the page fills. */
export function frame(page: PageId, me: Me | undefined, extraClass = ''): HTMLElement {
  const app = document.getElementById('app')!;
  document.body.className = `page-${page} ${extraClass}`.trim();
  const main = h('main', { id: 'main', tabindex: '-1' });
  const who: Child = me
    ? h(
        'span',
        { class: 'who' },
        t(`role.${me.role}`),
        me.team ? ` · ${me.team}` : '',
        me.label && me.label !== me.team ? ` · ${me.label}` : '',
      )
    : null;
  const logout = me
    ? h(
        'button',
        {
          type: 'button',
          class: 'link',
          onclick: async () => {
            await api('POST', '/api/auth/logout').catch(() => undefined);
            location.assign('/');
          },
        },
        t('nav.logout'),
      )
    : null;
  mount(
    app,
    h('a', { class: 'skip', href: '#main' }, 'Skip to content'),
    h(
      'header',
      { class: 'top' },
      h('div', { class: 'brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, '◆'), ' cyrange'),
      h('div', { class: 'exercise' }, bootData().title),
      h(
        'nav',
        { 'aria-label': 'Pages' },
        ...navFor(me).map((n) =>
          h('a', { href: n.href, ...(n.id === page ? { 'aria-current': 'page' } : {}) }, n.label),
        ),
      ),
      h(
        'div',
        { class: 'tools' },
        who,
        h(
          'button',
          {
            type: 'button',
            class: 'lang',
            id: 'lang-switch',
            'aria-label': t('lang.switchLabel'),
            onclick: () => setLang(lang() === 'ja' ? 'en' : 'ja'),
          },
          t('lang.switch'),
        ),
        logout,
      ),
    ),
    me ? storageBanner() : null,
    main,
  );
  return main;
}

/** A message in place of a page (not logged in, wrong role, failure). */
export function notice(main: HTMLElement, text: string, kind: 'info' | 'error' = 'info'): void {
  mount(
    main,
    h(
      'div',
      { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' },
      h('p', {}, text),
      h('p', { class: 'help' }, t('join.help')),
    ),
  );
}

let offNotice: (() => void) | undefined;

/**
 * A page that is only a message: rendered again in the other language when it is switched
 * (`text` is called each time, so it reads the dictionary of the moment).
 */
export function noticePage(
  page: PageId,
  me: Me | undefined,
  text: () => string,
  kind: 'info' | 'error' = 'info',
): void {
  const render = () => notice(frame(page, me), text(), kind);
  offNotice?.();
  offNotice = onLangChange(render);
  render();
}

/** A small status line that announces results to screen readers. */
export function statusLine(): HTMLParagraphElement {
  return h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
}
