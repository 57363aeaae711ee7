/**
 * The team portal: the inbox (attachments readable as raw text, a phishing .eml included), the
 * incident report form with what was submitted when, and the team's own score. Every call names
 * the team of the login; nothing here can ask for another team.
 */
import type { Report, SubmittedReport } from '../../../src/wire/report';
import type { InboxMessage, Me, TeamScoreView } from '../../../src/wire/views';
import { ApiFailure, api, fetchText } from '../api';
import { h, mount } from '../dom';
import { onLangChange, t } from '../i18n';
import { frame, statusLine } from '../layout';
import { live } from '../live';
import { scenarioClock, wallTime } from '../time';

/** Every report kind and addressee the wire schema accepts (checked against its types). */
const KINDS = ['incident', 'escalation', 'situation'] as const satisfies readonly Report['kind'][];
const TARGETS = [
  'csirt',
  'management',
  'vendor',
  'soc',
  'police',
  'other',
] as const satisfies readonly NonNullable<Report['to']>[];

const FIELDS = ['kind', 'to', 'title', 'hosts', 'accounts', 'indicators', 'techniques', 'narrative'] as const;
type Field = (typeof FIELDS)[number];

function lines(s: string): string[] {
  return s
    .split(/[\n,]/)
    .map((x) => x.trim())
    .filter((x) => x.length > 0);
}

/** The report being written is kept in this browser, so a reload or a crash does not lose it. */
function draftKey(me: Me): string {
  return `cyrange.draft.${me.session}.${me.team ?? ''}`;
}

function loadDraft(key: string): Partial<Record<Field, string>> {
  try {
    const saved = JSON.parse(localStorage.getItem(key) ?? '{}') as Record<string, unknown>;
    const out: Partial<Record<Field, string>> = {};
    for (const f of FIELDS) if (typeof saved[f] === 'string') out[f] = saved[f];
    return out;
  } catch {
    return {};
  }
}

function saveDraft(key: string, draft: Record<Field, string> | undefined): void {
  try {
    if (draft) localStorage.setItem(key, JSON.stringify(draft));
    else localStorage.removeItem(key);
  } catch {
    // storage full or disabled: the draft lives as long as the page
  }
}

export function teamPage(me: Me): void {
  const team = me.team!;
  const base = `/api/teams/${encodeURIComponent(team)}`;
  let messages: InboxMessage[] = [];
  let selected: number | undefined;
  const opened = new Map<string, string>();
  let reports: SubmittedReport[] = [];
  let score: TeamScoreView | undefined;
  const draft: Record<Field, string> = {
    kind: 'incident',
    to: 'management',
    title: '',
    hosts: '',
    accounts: '',
    indicators: '',
    techniques: '',
    narrative: '',
    ...loadDraft(draftKey(me)),
  };
  let busy = false;
  // One key per report being written: a retry after a lost answer cannot file it twice.
  let submitKey = crypto.randomUUID();

  const inboxList = h('ul', { class: 'inbox-list', id: 'inbox-list' });
  const reader = h('article', { class: 'reader', id: 'message-reader', tabindex: '-1' });
  const reportList = h('ol', { class: 'report-list', id: 'report-list', reversed: true });
  const scoreBox = h('div', { id: 'team-score' });
  const formStatus = statusLine();
  const inboxCount = h('span', { class: 'count' });

  function renderInbox(): void {
    inboxCount.textContent = String(messages.length);
    if (messages.length === 0) {
      mount(inboxList, h('li', { class: 'empty' }, t('inbox.empty')));
    } else {
      mount(
        inboxList,
        ...[...messages].reverse().map((m) =>
          h(
            'li',
            {},
            h(
              'button',
              {
                type: 'button',
                class: `message${m.id === selected ? ' selected' : ''}`,
                'aria-pressed': m.id === selected ? 'true' : 'false',
                'data-message': m.id,
                onclick: () => {
                  selected = m.id;
                  renderInbox();
                  renderReader();
                  reader.focus();
                },
              },
              h('span', { class: 'subject' }, m.subject),
              h('span', { class: 'meta' }, m.sender || m.from, ' · ', scenarioClock(m.scenarioTime)),
              m.attachments.length > 0
                ? h('span', { class: 'clip', title: t('inbox.attachments') }, `+${m.attachments.length}`)
                : null,
            ),
          ),
        ),
      );
    }
  }

  function renderReader(): void {
    const m = messages.find((x) => x.id === selected);
    if (!m) {
      mount(reader, h('p', { class: 'muted' }, t('inbox.select')));
      return;
    }
    mount(
      reader,
      h('h3', {}, m.subject),
      h(
        'dl',
        { class: 'headers' },
        h('dt', {}, t('inbox.from')),
        h('dd', {}, m.sender ? `${m.sender} (${m.from})` : m.from),
        h('dt', {}, t('inbox.received')),
        h('dd', {}, `${scenarioClock(m.scenarioTime)} · ${wallTime(m.wallTime)}`),
      ),
      h('pre', { class: 'body' }, m.body),
      m.attachments.length === 0
        ? null
        : h(
            'section',
            { class: 'attachments' },
            h('h4', {}, t('inbox.attachments')),
            ...m.attachments.map((a, i) => {
              const url = `${base}/inbox/${m.id}/attachments/${i}`;
              const text = opened.get(url);
              return h(
                'div',
                { class: 'attachment' },
                h(
                  'div',
                  { class: 'attachment-head' },
                  h('span', { class: 'name' }, a.name),
                  h('span', { class: 'muted' }, ` ${a.contentType} · ${a.size} B `),
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'secondary',
                      onclick: async () => {
                        opened.set(url, await fetchText(url));
                        renderReader();
                      },
                    },
                    t('inbox.view'),
                  ),
                  h('a', { href: url, download: a.name, class: 'button secondary' }, t('inbox.download')),
                ),
                text === undefined ? null : h('pre', { class: 'raw', tabindex: '0' }, text),
              );
            }),
          ),
    );
  }

  function renderReports(): void {
    if (reports.length === 0) {
      mount(reportList, h('li', { class: 'empty' }, t('report.none')));
      return;
    }
    mount(
      reportList,
      ...[...reports]
        .reverse()
        .map((r) =>
          h(
            'li',
            { class: 'report' },
            h('span', { class: 'report-title' }, r.title),
            h(
              'span',
              { class: 'meta' },
              t(`report.kind.${r.kind}`),
              r.to ? ` → ${t(`report.to.${r.to}`)}` : '',
              ` · ${scenarioClock(r.scenarioTime)} (${wallTime(r.wallTime)}) · `,
              t('report.by', { actor: r.actor }),
            ),
          ),
        ),
    );
  }

  function renderScore(): void {
    if (!score) {
      mount(scoreBox, h('p', { class: 'muted' }, t('home.loading')));
      return;
    }
    mount(
      scoreBox,
      h(
        'p',
        { class: 'score-total' },
        h('span', { class: 'label' }, t('score.total')),
        h('strong', {}, score.total),
      ),
      score.frozen ? h('p', { class: 'notice info' }, t('score.frozen')) : null,
      score.entries === undefined
        ? h('p', { class: 'muted' }, t('score.hidden'))
        : score.entries.length === 0
          ? h('p', { class: 'muted' }, t('score.none'))
          : h(
              'table',
              { class: 'breakdown' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  h('th', {}, t('score.when')),
                  h('th', {}, t('score.points')),
                  h('th', {}, t('score.reason')),
                ),
              ),
              h(
                'tbody',
                {},
                ...score.entries.map((e) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, scenarioClock(e.at)),
                    h(
                      'td',
                      { class: e.points < 0 ? 'num neg' : 'num pos' },
                      e.points > 0 ? `+${e.points}` : e.points,
                    ),
                    h('td', {}, e.reason),
                  ),
                ),
              ),
            ),
    );
  }

  function field(name: Field, label: string, control: HTMLElement): HTMLElement {
    control.id = `report-${name}`;
    control.setAttribute('name', name);
    control.addEventListener('input', () => {
      draft[name] = (control as HTMLInputElement).value;
      saveDraft(draftKey(me), draft);
    });
    return h('div', { class: 'field' }, h('label', { for: `report-${name}` }, label), control);
  }

  function select(name: Field, options: { value: string; label: string }[]): HTMLSelectElement {
    const s = h('select', {}, ...options.map((o) => h('option', { value: o.value }, o.label)));
    s.value = draft[name];
    s.addEventListener('change', () => {
      draft[name] = s.value;
      saveDraft(draftKey(me), draft);
    });
    return s;
  }

  async function submit(ev: Event): Promise<void> {
    ev.preventDefault();
    if (busy) return;
    busy = true;
    formStatus.textContent = t('report.submitting');
    formStatus.className = 'status';
    const body: Record<string, unknown> = {
      kind: draft.kind,
      title: draft.title,
      hosts: lines(draft.hosts),
      accounts: lines(draft.accounts),
      indicators: lines(draft.indicators),
      techniques: lines(draft.techniques),
      narrative: draft.narrative,
      ...(draft.to ? { to: draft.to } : {}),
    };
    try {
      const answer = await api<{ report: SubmittedReport }>('POST', `${base}/reports`, body, {
        'idempotency-key': submitKey,
      });
      submitKey = crypto.randomUUID();
      reports = [...reports.filter((r) => r.id !== answer.report.id), answer.report];
      for (const k of ['title', 'hosts', 'accounts', 'indicators', 'techniques', 'narrative'] as const)
        draft[k] = '';
      saveDraft(draftKey(me), undefined);
      render();
      formStatus.textContent = t('report.submitted', { time: scenarioClock(answer.report.scenarioTime) });
      formStatus.className = 'status ok';
    } catch (e) {
      const message =
        e instanceof ApiFailure ? `${e.body.message}${e.body.field ? ` (${e.body.field})` : ''}` : String(e);
      formStatus.textContent = t('error.generic', { message });
      formStatus.className = 'status error';
    } finally {
      busy = false;
    }
  }

  function render(): void {
    const main = frame('team', me);
    const form = h(
      'form',
      { class: 'report-form', id: 'report-form', novalidate: true, onsubmit: (e: Event) => void submit(e) },
      h(
        'div',
        { class: 'row' },
        field(
          'kind',
          t('report.kind'),
          select(
            'kind',
            KINDS.map((k) => ({ value: k, label: t(`report.kind.${k}`) })),
          ),
        ),
        field(
          'to',
          t('report.to'),
          select('to', [
            { value: '', label: t('report.to.none') },
            ...TARGETS.map((k) => ({ value: k, label: t(`report.to.${k}`) })),
          ]),
        ),
      ),
      field(
        'title',
        t('report.subject'),
        h('input', { type: 'text', maxlength: 200, required: true, value: draft.title }),
      ),
      h(
        'div',
        { class: 'row' },
        field('hosts', t('report.hosts'), h('textarea', { rows: 3, value: draft.hosts })),
        field('indicators', t('report.indicators'), h('textarea', { rows: 3, value: draft.indicators })),
      ),
      h(
        'div',
        { class: 'row' },
        field('accounts', t('report.accounts'), h('textarea', { rows: 2, value: draft.accounts })),
        field('techniques', t('report.techniques'), h('textarea', { rows: 2, value: draft.techniques })),
      ),
      field('narrative', t('report.narrative'), h('textarea', { rows: 5, value: draft.narrative })),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', class: 'primary' }, t('report.submit')),
        formStatus,
      ),
    );
    mount(
      main,
      h(
        'div',
        { class: 'team-grid' },
        h(
          'section',
          { class: 'card inbox', 'aria-labelledby': 'inbox-h' },
          h('h2', { id: 'inbox-h' }, t('inbox.title'), ' ', inboxCount),
          h('div', { class: 'inbox-panes' }, inboxList, reader),
        ),
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'score-h' },
          h('h2', { id: 'score-h' }, t('score.title'), ' · ', me.team ?? ''),
          scoreBox,
        ),
        h(
          'section',
          { class: 'card report-card', 'aria-labelledby': 'report-h' },
          h('h2', { id: 'report-h' }, t('report.title')),
          form,
          h('h3', {}, t('report.history')),
          reportList,
        ),
      ),
    );
    renderInbox();
    renderReader();
    renderReports();
    renderScore();
  }

  onLangChange(render);
  render();

  const socket = live();
  socket.on('team:score', (v) => {
    if (v.team !== team) return;
    if (score && v.version < score.version) return;
    score = v;
    renderScore();
  });
  socket.on('inbox:message', (m) => {
    if (m.team !== team || messages.some((x) => x.id === m.id)) return;
    const { team: _ignored, ...message } = m;
    messages = [...messages, message];
    selected ??= message.id;
    renderInbox();
    renderReader();
  });
  socket.on('connect', () => void load());

  async function load(): Promise<void> {
    const [inbox, rep] = await Promise.all([
      api<{ messages: InboxMessage[] }>('GET', `${base}/inbox`),
      api<{ reports: SubmittedReport[] }>('GET', `${base}/reports`),
    ]);
    messages = inbox.messages;
    reports = rep.reports;
    if (selected === undefined && messages.length > 0) selected = messages[messages.length - 1]!.id;
    render();
  }
  void load();
}
