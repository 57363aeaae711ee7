/** The live log parsers on real lines the range images write (no engine needed). */
import {
  dnsmasqQuery,
  nginxAccess,
  type ParseContext,
  postfixMail,
  squidAccess,
  syslogLine,
  syslogTime,
} from '../../src/range/driver/log-parsers';

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);

function ctx(host: string): ParseContext {
  const names: Record<string, string> = { '10.247.16.10': 'pc-01' };
  return { host, nameOf: (ip) => names[ip], nowMs: NOW, state: new Map() };
}

test('Squid access lines become proxy requests of the client host', () => {
  const line =
    '1795689247.555      3 10.247.16.10 TCP_MISS/200 281 GET http://update-check.example/beacon?id=42 - HIER_DIRECT/198.19.200.10 text/plain';
  expect(squidAccess(line, ctx('proxy'))).toEqual({
    ts: 1795689247555,
    fields: expect.objectContaining({
      'event.dataset': 'squid.access',
      'event.action': 'proxy-request',
      'host.name': 'pc-01',
      'source.ip': '10.247.16.10',
      'destination.domain': 'update-check.example',
      'destination.ip': '198.19.200.10',
      'url.full': 'http://update-check.example/beacon?id=42',
      'url.path': '/beacon',
      'url.query': 'id=42',
      'http.response.status_code': 200,
      'http.response.bytes': 281,
      'observer.name': 'proxy',
    }),
  });
  const connect = squidAccess(
    '1795689247.555     10 10.0.0.9 TCP_TUNNEL/200 3900 CONNECT files.example:443 - HIER_DIRECT/1.2.3.4 -',
    ctx('proxy'),
  );
  expect(connect?.fields).toMatchObject({
    'destination.domain': 'files.example',
    'destination.port': 443,
    'host.name': '10.0.0.9',
  });
  expect(squidAccess('garbage', ctx('proxy'))).toBeUndefined();
});

test('dnsmasq query lines become DNS queries; other lines are skipped', () => {
  const r = dnsmasqQuery(
    'Nov 26 10:32:44 dnsmasq[7]: query[A] update-check.example from 10.247.16.10',
    ctx('dns'),
  );
  expect(r).toEqual({
    ts: Date.UTC(2026, 10, 26, 10, 32, 44),
    fields: expect.objectContaining({
      'event.action': 'dns-query',
      'dns.question.name': 'update-check.example',
      'dns.question.type': 'A',
      'host.name': 'pc-01',
    }),
  });
  expect(
    dnsmasqQuery('Nov 26 10:32:44 dnsmasq[7]: reply update-check.example is 1.2.3.4', ctx('dns')),
  ).toBeUndefined();
});

test('Postfix deliveries carry the sender logged earlier for the same queue id', () => {
  const c = ctx('mail');
  const from =
    'Nov 26 10:34:08 mail postfix/qmgr[165]: 5FF612840F6: from=<evil@bad.example>, size=291, nrcpt=1 (queue active)';
  const to =
    'Nov 26 10:34:08 mail postfix/local[207]: 5FF612840F6: to=<k.sato@mail>, orig_to=<k.sato@corp.example>, relay=local, delay=0.04, dsn=2.0.0, status=sent (delivered to maildir)';
  expect(postfixMail(from, c)).toBeUndefined();
  expect(postfixMail(to, c)?.fields).toMatchObject({
    'event.action': 'mail-delivered',
    'email.from.address': 'evil@bad.example',
    'email.to.address': 'k.sato@corp.example',
    'email.local_id': '5FF612840F6',
  });
});

test('nginx combined lines, with their time zone', () => {
  const r = nginxAccess(
    '10.247.16.10 - - [26/Nov/2026:19:00:00 +0900] "GET /index.html?a=1 HTTP/1.1" 200 612 "-" "curl/7.88.1"',
    ctx('web'),
  );
  expect(r?.ts).toBe(Date.UTC(2026, 10, 26, 10, 0, 0));
  expect(r?.fields).toMatchObject({
    'url.path': '/index.html',
    'http.response.status_code': 200,
    'host.name': 'pc-01',
  });
});

test('syslog lines: account creation and sudo get their actions; both stamp styles parse', () => {
  const parse = syslogLine('pc-01');
  const created = parse(
    '2026-11-26T10:34:04.363000+00:00 pc-01 useradd[64]: new user: name=tanaka, UID=1000, GID=1000, home=/home/tanaka',
    ctx('logs'),
  );
  expect(created).toEqual({
    ts: Date.UTC(2026, 10, 26, 10, 34, 4, 363),
    fields: expect.objectContaining({
      'event.dataset': 'system.auth',
      'event.action': 'user-created',
      'user.target.name': 'tanaka',
      'host.name': 'pc-01',
    }),
  });
  const sudo = parse(
    'Nov 26 10:35:00 pc-01 sudo:   k.sato : TTY=pts/0 ; PWD=/home/k.sato ; USER=root ; COMMAND=/usr/bin/id',
    ctx('logs'),
  );
  expect(sudo?.fields).toMatchObject({
    'event.action': 'sudo',
    'user.name': 'k.sato',
    'process.command_line': '/usr/bin/id',
  });
});

test('a classic syslog stamp in the future belongs to last year', () => {
  const newYear = Date.UTC(2027, 0, 1, 0, 0, 30);
  expect(syslogTime('Dec 31 23:59:59', newYear)).toBe(Date.UTC(2026, 11, 31, 23, 59, 59));
});
