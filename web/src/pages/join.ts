/**
 * `/join#TOKEN`: the token travels in the fragment (never sent to a server, never logged), is
 * removed from the address bar at once, and exchanged for the login cookies.
 */
import type { Me } from '../../../src/wire/views';
import { ApiFailure, api, rememberCsrf } from '../api';
import { t } from '../i18n';
import { noticePage } from '../layout';
import { homeOf } from './home';

export async function joinPage(): Promise<void> {
  const token = location.hash.slice(1);
  history.replaceState(null, '', '/join');
  if (!token) {
    noticePage('join', undefined, () => t('join.noToken'), 'error');
    return;
  }
  noticePage('join', undefined, () => t('join.joining'));
  try {
    const me = await api<Me>('POST', '/api/auth/join', { token });
    rememberCsrf(me.csrfToken);
    location.replace(homeOf(me));
  } catch (e) {
    const message = e instanceof ApiFailure ? e.body.message : String(e);
    noticePage('join', undefined, () => t('join.failed', { message }), 'error');
  }
}
