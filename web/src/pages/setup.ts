/**
 * `/setup` (setup mode of `cyrange serve`): the controller loads a shipped scenario, uploads or
 * pastes one, sees each problem at its line of the editor, chooses parameters, teams, live or
 * simulated and speed, reads the plan summary, and launches. Progress arrives over socket.io;
 * when the exercise is up the page logs in to it with the token it was handed and opens the
 * controller console — no manual re-join.
 *
 * Stable hooks for tests: #setup-scenario, #setup-load, #setup-upload, #setup-text,
 * #setup-set, #setup-param-NAME (one per declared parameter), #setup-teams, #setup-mode-live / #setup-mode-simulated, #setup-speed,
 * #setup-exercise, #setup-check, #setup-launch, #setup-problems, .diag-note[data-line],
 * #setup-summary, #setup-progress, #setup-step, #setup-log, #setup-error.
 */
import './setup.css';
import type {
  LaunchedView,
  LaunchProgressView,
  PlanSummaryView,
  SetupDiagnostic,
  SetupInput,
  SetupStateView,
  ShippedScenario,
  ValidateResult,
} from '../../../src/wire/setup';
import type { Me } from '../../../src/wire/views';
import { ApiFailure, api, rememberCsrf } from '../api';
import { h, mount } from '../dom';
import { type TextKey, t } from '../i18n';
import { frame } from '../layout';
import { live } from '../live';

const LOG_MAX = 200;
const CHECK_DEBOUNCE_MS = 700;
const HANDOVER_POLLS = 300;
const HANDOVER_POLL_MS = 100;
const STEPS = ['saved', 'images', 'range', 'session', 'ready'] as const;

function message(e: unknown): string {
  return e instanceof ApiFailure ? e.body.message : String(e);
}

/** `level=A speed=600` → `{ level: 'A', speed: 600 }`, as `--set` parses values. */
export function parseSet(text: string): { set: Record<string, string | number | boolean>; bad?: string } {
  const set: Record<string, string | number | boolean> = {};
  for (const item of text.split(/[\s,]+/).filter(Boolean)) {
    const eq = item.indexOf('=');
    if (eq <= 0) return { set, bad: item };
    const raw = item.slice(eq + 1);
    set[item.slice(0, eq)] = /^-?\d+(\.\d+)?$/.test(raw)
      ? Number(raw)
      : raw === 'true' || raw === 'false'
        ? raw === 'true'
        : raw;
  }
  return { set };
}

export function setupPage(me: Me): void {
  const main = frame('controller', me, 'setup-mode');
  let source = 'pasted';
  let diagnostics: SetupDiagnostic[] = [];
  let checkTimer: number | undefined;
  let checking = 0;
  let launching = false;

  const picker = h('select', { id: 'setup-scenario', 'aria-label': t('setup.shipped') });
  const upload = h('input', { type: 'file', id: 'setup-upload', accept: '.yaml,.yml,text/yaml' });
  const text = h('textarea', {
    id: 'setup-text',
    spellcheck: 'false',
    wrap: 'off',
    'aria-label': t('setup.editor'),
    'aria-describedby': 'setup-problems',
  });
  const gutter = h('div', { class: 'gutter', 'aria-hidden': 'true' });
  const marks = h('div', { class: 'marks', 'aria-hidden': 'true' });
  const notes = h('div', { class: 'notes' });
  const editor = h('div', { class: 'editor' }, gutter, h('div', { class: 'code' }, marks, text, notes));
  const setField = h('input', { id: 'setup-set', type: 'text', placeholder: 'level=B', autocomplete: 'off' });
  const paramsBox = h('div', { id: 'setup-params', class: 'params' });
  const teams = h('input', { id: 'setup-teams', type: 'number', min: '1', max: '100', step: '1' });
  const modeLive = h('input', { id: 'setup-mode-live', type: 'radio', name: 'setup-mode', value: 'live' });
  const modeSim = h('input', {
    id: 'setup-mode-simulated',
    type: 'radio',
    name: 'setup-mode',
    value: 'simulated',
    checked: true,
  });
  const speed = h('input', { id: 'setup-speed', type: 'number', min: '0.1', step: 'any' });
  const exercise = h('input', { id: 'setup-exercise', type: 'text', pattern: '[a-z0-9][a-z0-9-]{0,30}' });
  const checkBtn = h('button', { type: 'button', id: 'setup-check', class: 'secondary' }, t('setup.check'));
  const launchBtn = h('button', { type: 'button', id: 'setup-launch', class: 'primary' }, t('setup.launch'));
  const problems = h('div', { id: 'setup-problems', role: 'status', 'aria-live': 'polite' });
  const summaryBox = h('div', { id: 'setup-summary' });
  const progressBox = h('section', { class: 'card', id: 'setup-progress', hidden: true });
  const errorBox = h('div', { id: 'setup-error', role: 'alert', class: 'notice error', hidden: true });

  // ---- the editor: line numbers, and each problem at its line ----
  const LINE_PX = 20;
  // Through the CSSOM: the console's content security policy refuses inline style attributes.
  const at = (el: HTMLElement, top: number): HTMLElement => {
    el.style.top = `${top}px`;
    return el;
  };
  function renderGutter(): void {
    const count = text.value.split('\n').length;
    const bad = new Set(diagnostics.filter((d) => d.inText).map((d) => d.line));
    mount(
      gutter,
      ...Array.from({ length: count }, (_, i) =>
        h('div', { class: bad.has(i + 1) ? 'ln bad' : 'ln' }, String(i + 1)),
      ),
    );
    gutter.scrollTop = text.scrollTop;
  }
  function renderMarks(): void {
    const inText = diagnostics.filter((d) => d.inText);
    mount(
      marks,
      ...inText.map((d) => at(h('div', { class: 'mark' }), (d.line - 1) * LINE_PX - text.scrollTop)),
    );
    // The message sits right under its line, over the code, and scrolls with it.
    mount(
      notes,
      ...inText.map((d) =>
        at(
          h(
            'div',
            { class: 'diag-note', 'data-line': String(d.line) },
            h('strong', {}, `${t('setup.line', { line: d.line, col: d.col })} `),
            d.message,
            d.hint ? h('span', { class: 'hint' }, ` — ${d.hint}`) : null,
          ),
          d.line * LINE_PX - text.scrollTop,
        ),
      ),
    );
  }
  function jumpTo(line: number, col: number): void {
    const lines = text.value.split('\n');
    let at = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) at += lines[i]!.length + 1;
    text.focus();
    text.setSelectionRange(at + col - 1, at + (lines[line - 1]?.length ?? 0));
    text.scrollTop = Math.max(0, (line - 3) * LINE_PX);
  }
  text.addEventListener('scroll', () => {
    gutter.scrollTop = text.scrollTop;
    renderMarks();
  });
  text.addEventListener('input', () => {
    renderGutter();
    scheduleCheck();
  });

  // ---- choices → the request body ----
  function input(): SetupInput | string {
    const parsed = parseSet(setField.value);
    if (parsed.bad) return t('setup.badSet', { item: parsed.bad });
    const body: SetupInput = { source, text: text.value, mode: modeLive.checked ? 'live' : 'simulated' };
    if (Object.keys(parsed.set).length > 0) body.set = parsed.set;
    if (teams.value) body.teams = Number(teams.value);
    if (speed.value) body.speed = Number(speed.value);
    if (modeLive.checked && exercise.value.trim()) body.exercise = exercise.value.trim();
    return body;
  }

  function showResult(result: ValidateResult): void {
    diagnostics = result.diagnostics;
    // The first problem in the text is brought into view, with its message under it.
    const first = diagnostics.find((d) => d.inText);
    const visible = (line: number) =>
      (line - 1) * LINE_PX >= text.scrollTop && (line + 2) * LINE_PX <= text.scrollTop + text.clientHeight;
    if (first && !diagnostics.some((d) => d.inText && visible(d.line)))
      text.scrollTop = Math.max(0, (first.line - 4) * LINE_PX);
    renderGutter();
    renderMarks();
    const outside = diagnostics.filter((d) => !d.inText);
    if (result.ok) {
      mount(problems, h('p', { class: 'status ok' }, t('setup.ok')));
    } else {
      mount(
        problems,
        h('p', { class: 'status error' }, t('setup.problems', { count: diagnostics.length })),
        h(
          'ol',
          { class: 'problem-list' },
          ...diagnostics.map((d) =>
            h(
              'li',
              {},
              d.inText
                ? h(
                    'button',
                    { type: 'button', class: 'link', onclick: () => jumpTo(d.line, d.col) },
                    t('setup.line', { line: d.line, col: d.col }),
                  )
                : h('code', {}, d.file),
              ` ${d.message}`,
              d.hint ? h('span', { class: 'hint' }, ` — ${d.hint}`) : null,
            ),
          ),
        ),
        outside.length > 0 ? h('p', { class: 'muted' }, t('setup.outside'), ` ${outside.length}`) : null,
      );
    }
    renderSummary(result.summary);
  }

  /** One control per declared parameter; a choice rewrites its `key=value` in the parameters field. */
  function renderParams(s: PlanSummaryView): void {
    mount(
      paramsBox,
      ...s.declared.map((p) => {
        const id = `setup-param-${p.name}`;
        const current = String(s.parameters[p.name] ?? p.default);
        const control = p.values
          ? h(
              'select',
              { id },
              ...p.values.map((v) =>
                h('option', { value: String(v), selected: String(v) === current }, String(v)),
              ),
            )
          : h('input', { id, type: 'text', value: current });
        control.addEventListener('change', () => {
          const { set } = parseSet(setField.value);
          const chosen = parseSet(`${p.name}=${control.value}`).set[p.name]!;
          if (chosen === p.default) delete set[p.name];
          else set[p.name] = chosen;
          setField.value = Object.entries(set)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ');
          void check();
        });
        return h(
          'div',
          { class: 'row inline' },
          h('label', { for: id }, p.name),
          control,
          p.description ? h('span', { class: 'muted' }, p.description) : null,
        );
      }),
    );
  }

  function renderSummary(s: PlanSummaryView | undefined): void {
    if (!s) {
      mount(summaryBox);
      return;
    }
    renderParams(s);
    const row = (key: TextKey, value: string | number) =>
      h(
        'tr',
        { 'data-key': key.replace('setup.sum.', '') },
        h('th', { scope: 'row' }, t(key)),
        h('td', {}, String(value)),
      );
    const minutes = Math.round(s.duration / 60);
    mount(
      summaryBox,
      h('h3', {}, `${s.title} (${s.scenario}) · ${s.level}`),
      h(
        'table',
        { class: 'summary' },
        h(
          'tbody',
          {},
          row('setup.sum.teams', `${s.teams.length}: ${s.teams.map((x) => x.name).join(', ')}`),
          row('setup.sum.live', s.liveHostsPerTeam),
          row('setup.sum.simulated', s.simulatedHostsPerTeam),
          row('setup.sum.containers', s.containers),
          row('setup.sum.injects', `${s.injects} (${s.phases} phases)`),
          row(
            'setup.sum.length',
            `${minutes} min × ${s.compression} = ${Math.ceil(s.duration / s.compression)} s`,
          ),
          row(
            'setup.sum.params',
            Object.entries(s.parameters)
              .map(([k, v]) => `${k}=${v}`)
              .join(' ') || '—',
          ),
          s.exercise ? row('setup.sum.exercise', s.exercise) : null,
        ),
      ),
    );
  }

  async function check(): Promise<ValidateResult | undefined> {
    const body = input();
    if (typeof body === 'string') {
      mount(problems, h('p', { class: 'status error' }, body));
      return undefined;
    }
    if (!body.text.trim()) return undefined;
    const mine = ++checking;
    try {
      const result = await api<ValidateResult>('POST', '/api/setup/validate', body);
      if (mine === checking) showResult(result);
      return result;
    } catch (e) {
      mount(problems, h('p', { class: 'status error' }, message(e)));
      return undefined;
    }
  }
  function scheduleCheck(): void {
    window.clearTimeout(checkTimer);
    checkTimer = window.setTimeout(() => void check(), CHECK_DEBOUNCE_MS);
  }

  async function loadShipped(): Promise<void> {
    const name = picker.value;
    if (!name) return;
    try {
      const r = await api<{ name: string; text: string }>(
        'GET',
        `/api/setup/scenarios/${encodeURIComponent(name)}`,
      );
      source = r.name;
      text.value = r.text;
      text.scrollTop = 0;
      renderGutter();
      await check();
    } catch (e) {
      mount(problems, h('p', { class: 'status error' }, message(e)));
    }
  }

  // ---- launch: progress, failure, hand-over ----
  const stepLine = h('ol', { class: 'steps', id: 'setup-step' });
  const imagesLine = h('p', { id: 'setup-images' });
  const hostsBar = h('progress', { id: 'setup-hosts-bar', max: '1', value: '0' });
  const hostsLine = h('p', { id: 'setup-hosts' });
  const logList = h('ol', { class: 'log', id: 'setup-log' });
  mount(progressBox, h('h2', {}, t('setup.progress')), stepLine, imagesLine, hostsBar, hostsLine, logList);

  function renderProgress(p: LaunchProgressView): void {
    progressBox.hidden = false;
    const at = STEPS.indexOf(p.step);
    mount(
      stepLine,
      ...STEPS.map((s, i) =>
        h(
          'li',
          { class: i < at || p.step === 'ready' ? 'done' : i === at ? 'now' : '', 'data-step': s },
          t(`setup.step.${s}` as TextKey),
        ),
      ),
    );
    imagesLine.textContent = t('setup.images', { done: p.images.done, failed: p.images.failed });
    hostsBar.max = Math.max(1, p.hosts.total);
    hostsBar.value = p.hosts.ready + p.hosts.failed;
    hostsLine.textContent = t('setup.hosts', {
      ready: p.hosts.ready,
      total: p.hosts.total,
      failed: p.hosts.failed,
    });
    if (p.line) {
      logList.appendChild(h('li', {}, p.line));
      while (logList.children.length > LOG_MAX) logList.firstElementChild?.remove();
      logList.scrollTop = logList.scrollHeight;
    }
  }

  function renderState(s: SetupStateView): void {
    launching = s.phase === 'launching' || s.phase === 'launched';
    launchBtn.disabled = launching;
    // The counters only: log lines arrive once each, with `setup:progress`.
    if (s.progress && s.phase !== 'setup') {
      const { line: _line, ...counters } = s.progress;
      renderProgress(counters);
    }
    const last = s.launch;
    if (s.phase === 'failed' && last?.error) {
      errorBox.hidden = false;
      errorBox.textContent = t('setup.failed', { message: last.error });
    } else if (s.phase === 'setup' && last && last.status !== 'launched') {
      errorBox.hidden = false;
      errorBox.textContent = t('setup.previous', {
        scenario: last.scenario,
        status: last.status,
        message: last.error ?? '',
      });
    } else {
      errorBox.hidden = true;
    }
  }

  async function launch(): Promise<void> {
    const body = input();
    if (typeof body === 'string') {
      mount(problems, h('p', { class: 'status error' }, body));
      return;
    }
    launchBtn.disabled = true;
    errorBox.hidden = true;
    mount(logList);
    try {
      await api('POST', '/api/setup/launch', body);
    } catch (e) {
      launchBtn.disabled = false;
      // A scenario with problems: show them at their lines (the check answers with the same list).
      if (e instanceof ApiFailure && e.status === 422 && e.body.field === 'body.text') await check();
      else {
        errorBox.hidden = false;
        errorBox.textContent = message(e);
      }
    }
  }

  /** The exercise now serves this port: wait until it answers, log in with the token, open the console. */
  async function takeOver(view: LaunchedView): Promise<void> {
    errorBox.hidden = true;
    mount(problems, h('p', { class: 'status ok', id: 'setup-launched' }, t('setup.launched')));
    for (let i = 0; i < HANDOVER_POLLS; i++) {
      await new Promise((r) => setTimeout(r, HANDOVER_POLL_MS));
      try {
        const health = await fetch('/api/health', { credentials: 'same-origin' }).then((r) => r.json());
        if ((health as { session?: string }).session !== view.session) continue;
        const joined = await api<Me>('POST', '/api/auth/join', { token: view.token });
        rememberCsrf(joined.csrfToken);
        location.replace('/controller');
        return;
      } catch {
        // the port is changing hands: try again
      }
    }
    errorBox.hidden = false;
    errorBox.textContent = t('setup.handoverSlow');
  }

  checkBtn.addEventListener('click', () => void check());
  launchBtn.addEventListener('click', () => void launch());
  picker.addEventListener('change', () => void loadShipped());
  for (const el of [setField, teams, speed, exercise]) el.addEventListener('input', scheduleCheck);
  // Typing `key=value` moves that parameter's control along.
  setField.addEventListener('input', () => {
    for (const [k, v] of Object.entries(parseSet(setField.value).set)) {
      const control = paramsBox.querySelector<HTMLInputElement | HTMLSelectElement>(
        `#setup-param-${CSS.escape(k)}`,
      );
      if (control) control.value = String(v);
    }
  });
  for (const el of [modeLive, modeSim]) el.addEventListener('change', () => void check());
  upload.addEventListener('change', async () => {
    const file = upload.files?.[0];
    if (!file) return;
    source = 'pasted';
    text.value = await file.text();
    renderGutter();
    await check();
  });

  const field = (id: string, label: TextKey, control: HTMLElement) =>
    h('div', { class: 'row' }, h('label', { for: id }, t(label)), control);
  mount(
    main,
    h('h1', {}, t('setup.title')),
    errorBox,
    h(
      'div',
      { class: 'setup-grid' },
      h(
        'section',
        { class: 'card editor-card', 'aria-labelledby': 'setup-scenario-h' },
        h('h2', { id: 'setup-scenario-h' }, t('setup.scenario')),
        h(
          'div',
          { class: 'row inline' },
          h('label', { for: 'setup-scenario' }, t('setup.shipped')),
          picker,
          h(
            'button',
            { type: 'button', id: 'setup-load', class: 'secondary', onclick: () => void loadShipped() },
            t('setup.load'),
          ),
          h('label', { for: 'setup-upload' }, t('setup.upload')),
          upload,
        ),
        h('p', { class: 'muted' }, t('setup.editor')),
        editor,
        problems,
      ),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'setup-options-h' },
        h('h2', { id: 'setup-options-h' }, t('setup.options')),
        field('setup-set', 'setup.set', setField),
        paramsBox,
        field('setup-teams', 'setup.teams', teams),
        h(
          'fieldset',
          { class: 'row' },
          h('legend', {}, t('setup.mode')),
          h('label', {}, modeSim, ` ${t('setup.mode.simulated')}`),
          h('label', {}, modeLive, ` ${t('setup.mode.live')}`),
        ),
        field('setup-speed', 'setup.speed', speed),
        field('setup-exercise', 'setup.exercise', exercise),
        h('div', { class: 'buttons' }, checkBtn, launchBtn),
        h('h2', {}, t('setup.summary')),
        summaryBox,
      ),
      progressBox,
    ),
  );
  renderGutter();

  const socket = live();
  socket.on('setup:state', renderState);
  socket.on('setup:progress', renderProgress);
  socket.on('setup:launched', (view, ack) => {
    ack();
    void takeOver(view);
  });
  void (async () => {
    try {
      renderState(await api<SetupStateView>('GET', '/api/setup/state'));
    } catch (e) {
      // The exercise already serves this address: setup is over.
      if (e instanceof ApiFailure && e.status === 404) location.replace('/controller');
      return;
    }
    const { scenarios } = await api<{ scenarios: ShippedScenario[] }>('GET', '/api/setup/scenarios');
    mount(
      picker,
      h('option', { value: '' }, '—'),
      ...scenarios.map((s) => h('option', { value: s.name }, `${s.title} (${s.name})`)),
    );
    if (launching) launchBtn.disabled = true;
  })();
}
