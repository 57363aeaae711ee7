// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${name}` is scenario text in these tests, not a template
/** Loader behaviour beyond single mistakes: all errors at once, includes, parameters, attachments. */
import { fixtureText, loadText } from './support/load';

const MINIMAL = fixtureText('minimal.yaml');

describe('reporting', () => {
  test('the minimal fixture is valid', () => {
    const r = loadText(MINIMAL);
    expect(r.diagnostics).toEqual([]);
    expect(r.scenario?.metadata.id).toBe('mini');
  });

  test('reports every problem at once, sorted by place', () => {
    const text = MINIMAL.replace('segment: staff }', 'segment: staf }')
      .replace('phase: p1\n      trigger: { at: +10m }', 'phase: p9\n      trigger: { at: +10m }')
      .replace('host: pc-01, command', 'host: pc-1, command');
    const r = loadText(text);
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      'unknown segment `staf`',
      'unknown phase `p9`',
      'unknown host `pc-1`',
    ]);
    const lines = r.diagnostics.map((d) => d.line);
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
  });

  test('schema and YAML problems say what to do', () => {
    const r = loadText(MINIMAL.replace('role: proxy,', 'role: proxxy,'));
    expect(r.diagnostics[0]).toMatchObject({
      line: 28,
      message: expect.stringContaining('`proxxy` is not allowed'),
      hint: 'did you mean `proxy`?',
    });
  });

  test('absurd host counts are refused before any group is expanded', () => {
    const text = MINIMAL.replace('cidr: 10.1.2.0/24 }', 'cidr: 10.0.0.0/8, teamStride: 8 }').replace(
      'count: 5, role',
      'count: 100000, role',
    );
    const r = loadText(
      text.replace(/\nmsel:/, '\n  - { name: "x-{n}", count: 100000, role: server, segment: staff }\nmsel:'),
    );
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      '200002 hosts per team is more than the 100000 cyrange supports',
    ]);
  });

  test('an empty file is one clear error', () => {
    const r = loadText('');
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({
      line: 1,
      col: 1,
      message: expect.stringContaining('map of sections'),
    });
  });

  test('a YAML cascade is cut to its first few lines', () => {
    const r = loadText(MINIMAL.replace('name: "pc-{n:02}"', 'name: pc-{n:02}'));
    expect(r.diagnostics.length).toBeLessThanOrEqual(4);
    expect(r.diagnostics[0]?.hint).toContain('quote host name patterns');
  });
});

describe('includes', () => {
  const base = MINIMAL.replace('cyrange: 1\n', 'cyrange: 1\ninclude: [parts/more-hosts.yaml]\n');

  test("merges lists and maps, keeping each node's own file for positions", () => {
    const r = loadText(base, {
      'parts/more-hosts.yaml':
        'hosts:\n  - { name: web, role: web, segment: dmz }\n  - { name: db, role: database, segment: nowhere }\n',
    });
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        file: '/virtual/parts/more-hosts.yaml',
        line: 3,
        col: 42,
        message: 'unknown segment `nowhere`',
      }),
    ]);
  });

  test('included hosts end up in the scenario', () => {
    const r = loadText(base, {
      'parts/more-hosts.yaml': 'hosts:\n  - { name: web, role: web, segment: dmz }\n',
    });
    expect(r.scenario?.hosts.map((h) => h.name)).toContain('web');
  });

  test('the same scalar set in two files is an error, not an override', () => {
    const r = loadText(base, { 'parts/more-hosts.yaml': 'metadata:\n  title: Other title\n' });
    expect(r.diagnostics[0]).toMatchObject({
      file: '/virtual/parts/more-hosts.yaml',
      line: 2,
      col: 3,
      message: expect.stringContaining('`title` is also set at /virtual/main.yaml:5:3'),
    });
  });

  test('include cycles are reported', () => {
    const r = loadText(base, { 'parts/more-hosts.yaml': 'include: [../main.yaml]\n' });
    expect(r.diagnostics[0]?.message).toContain(
      'include cycle: /virtual/main.yaml → /virtual/parts/more-hosts.yaml → /virtual/main.yaml',
    );
  });

  test('syntax errors in an included file point into that file', () => {
    const r = loadText(base, { 'parts/more-hosts.yaml': 'hosts:\n  - { name: web\n' });
    expect(r.diagnostics[0]?.file).toBe('/virtual/parts/more-hosts.yaml');
  });
});

describe('parameters', () => {
  const text = MINIMAL.replace('  title: Minimal', '  title: Minimal ${level}\n  level: ${level}').replace(
    '    - id: beacon\n',
    '    - id: beacon\n      when: { level: [B, C] }\n',
  );

  test('defaults apply and `${name}` is substituted', () => {
    const r = loadText(text);
    expect(r.scenario?.metadata.title).toBe('Minimal B');
    expect(r.parameters).toEqual({ level: 'B' });
  });

  test('`--set` changes the value and `when` drops entries', () => {
    const r = loadText(text, {}, { set: { level: 'A' } });
    expect(r.scenario?.metadata.level).toBe('A');
    expect(r.scenario?.msel?.injects.map((i) => i.id)).toEqual(['open']);
  });

  test("a whole-value reference keeps the parameter's type", () => {
    const t = MINIMAL.replace('parameters:\n', 'parameters:\n  staff: { default: 3 }\n').replace(
      'count: 5, role',
      'count: "${staff}", role',
    );
    expect(loadText(t).scenario?.hosts[2]?.count).toBe(3);
    expect(loadText(t, {}, { set: { staff: 4 } }).scenario?.hosts[2]?.count).toBe(4);
  });

  test('unknown `--set` names and values outside `values` are errors with the fix', () => {
    expect(loadText(text, {}, { set: { levle: 'A' } }).diagnostics[0]).toMatchObject({
      file: '--set levle',
      message: 'unknown parameter `levle`',
      hint: 'did you mean `level`?',
    });
    expect(loadText(text, {}, { set: { level: 'D' } }).diagnostics[0]).toMatchObject({
      message: '`D` is not a value of `level`',
      hint: 'use one of A, B, C',
    });
  });

  test('an unquoted reference inside a flow map gets a precise hint', () => {
    const r = loadText(MINIMAL.replace('count: 5, role', 'count: ${staff}, role'));
    expect(r.diagnostics[0]).toMatchObject({
      line: 30,
      hint: expect.stringContaining('quote parameter references'),
    });
  });

  test('`$${` writes a literal `${`', () => {
    // A replacer function, because a replacement string would itself turn `$$` into `$`.
    const r = loadText(MINIMAL.replace('command: "true"', () => 'command: "echo $${HOME}"'));
    const action = r.scenario?.msel?.injects[0]?.action;
    expect(action).toMatchObject({ type: 'exec', command: 'echo ${HOME}' });
  });

  test('removing an inject with `when` makes references to it errors, not silent gaps', () => {
    const t = MINIMAL.replace('    - id: open\n', '    - id: open\n      when: { level: C }\n');
    expect(loadText(t).diagnostics.map((d) => d.message)).toContain('unknown inject `open`');
  });
});

describe('teams and attachments', () => {
  test('team names alone give one team per name; more names than `count` is an error', () => {
    const named = MINIMAL.replace('\nmsel:', '\nteams: { names: [Kaede, Sakura, Tsubaki] }\nmsel:');
    expect(loadText(named).scenario?.teams.count).toBe(3);
    expect(loadText(named, {}, { teams: 5 }).scenario?.teams.count).toBe(5);
    const contradiction = MINIMAL.replace(
      '\nmsel:',
      '\nteams: { count: 2, names: [Kaede, Sakura, Tsubaki] }\nmsel:',
    );
    expect(loadText(contradiction).diagnostics[0]).toMatchObject({
      line: 31,
      col: 27,
      message: '3 team names for 2 teams',
    });
  });

  test('`--teams` overrides the count and re-checks addressing across teams', () => {
    const t = MINIMAL.replace('cidr: 198.18.0.0/24, teamStride: 24', 'cidr: 10.1.200.0/24, teamStride: 24');
    expect(loadText(t, {}, { teams: 2 }).diagnostics).toEqual([]);
    // Team 57's internet block (10.1.200.0 + 56 × /24 = 10.2.0.0/24) lands in team 2's /16.
    const r = loadText(t, {}, { teams: 60 });
    expect(r.diagnostics.map((d) => d.message).join('\n')).toContain('overlaps segment');
  });

  test('attachments given as files are read relative to the scenario', () => {
    const t = MINIMAL.replace(
      'action: { type: exec, host: pc-01, command: "true" }',
      'action: { type: message, from: soc, subject: Hi, body: x, attachments: [{ name: log.txt, file: files/log.txt }] }',
    );
    const ok = loadText(t, { 'files/log.txt': 'proxy log line\n' });
    const action = ok.scenario?.msel?.injects[0]?.action;
    expect(action?.type === 'message' && action.attachments[0]?.content).toBe('proxy log line\n');
    const missing = loadText(t);
    expect(missing.diagnostics[0]).toMatchObject({
      line: 39,
      message: expect.stringContaining('cannot read attachment `files/log.txt`'),
    });
  });
});
