/** The console's entry: one script for every page, chosen by the path. */
import './styles.css';
import type { Me } from '../../src/wire/views';
import { whoAmI } from './api';
import { lang, t } from './i18n';
import { noticePage } from './layout';
import { homeOf } from './pages/home';
import { investigatePage } from './pages/investigate';
import { joinPage } from './pages/join';
import { networkPage } from './pages/network';
import { respondPage } from './pages/respond';
import { scoreboardPage } from './pages/scoreboard';
import { teamPage } from './pages/team';

const ALLOWED: Record<string, (me: Me) => boolean> = {
  '/team': (me) => me.role === 'team' && me.team !== undefined,
  '/controller': (me) => me.role === 'controller' || me.role === 'evaluator',
  '/scoreboard': () => true,
  '/setup': (me) => me.role === 'controller',
  '/terminal': (me) => me.role === 'team' && me.team !== undefined,
  '/review': (me) => me.role === 'controller' || me.role === 'evaluator',
  '/investigate': (me) => me.role === 'team' && me.team !== undefined,
  '/network': (me) => me.role === 'team' && me.team !== undefined,
  '/respond': (me) => me.role === 'team' && me.team !== undefined,
};

async function start(): Promise<void> {
  document.documentElement.lang = lang();
  const path = location.pathname.replace(/\/+$/, '') || '/';
  if (path === '/join') return joinPage();
  let me: Me | undefined;
  try {
    me = await whoAmI();
  } catch (e) {
    noticePage('home', undefined, () => t('error.generic', { message: String(e) }), 'error');
    return;
  }
  if (!me) {
    noticePage('home', undefined, () => t('home.notLoggedIn'));
    return;
  }
  if (path === '/') {
    location.replace(homeOf(me));
    return;
  }
  if (!ALLOWED[path]?.(me)) {
    noticePage('home', me, () => t('error.forbidden'), 'error');
    return;
  }
  // Staff pages and the terminal (xterm.js, about 280 KiB) load only where they are opened, so a
  // team member's browser never fetches them (web/build.mjs names each page's chunks).
  if (path === '/setup') lazyPage(me, import('./pages/setup'), (m) => m.setupPage(me));
  else if (path === '/team') teamPage(me);
  else if (path === '/controller') lazyPage(me, import('./pages/controller'), (m) => m.controllerPage(me));
  else if (path === '/terminal') lazyPage(me, import('./pages/terminal'), (m) => m.terminalPage(me));
  else if (path === '/review') lazyPage(me, import('./pages/review'), (m) => m.reviewPage(me));
  else if (path === '/investigate') investigatePage(me);
  else if (path === '/network') networkPage(me);
  else if (path === '/respond') respondPage(me);
  else scoreboardPage(me);
}

/** Opens a page whose code loads on demand; a chunk that cannot load is said, not a blank page. */
function lazyPage<M>(me: Me, load: Promise<M>, open: (m: M) => void): void {
  load.then(open, (e: unknown) =>
    noticePage('home', me, () => t('error.generic', { message: String(e) }), 'error'),
  );
}

void start();
