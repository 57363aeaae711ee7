/**
 * Shared pieces of the team workspace (investigate, network, respond): its own small dictionary
 * (en/ja), exercise time in wall ms, and time formatting in the scenario's zone.
 */
import './workspace.css';
import type { HostDetail, HostInventory, TelemetryDocument } from '../../../src/wire/investigation';
import type { ScoreboardView } from '../../../src/wire/views';
import { api } from '../api';
import { bootData } from '../boot';
import { lang } from '../i18n';
import { zoned } from '../time';

type Dict = Record<string, string>;

const EN: Dict = {
  'nav.investigate': 'Investigate',
  'nav.network': 'Network',
  'nav.respond': 'Respond',
  'inv.title': 'Log search',
  'inv.range': 'Time range',
  'inv.p15m': 'Last 15 min',
  'inv.p1h': 'Last 1 h',
  'inv.p4h': 'Last 4 h',
  'inv.p1d': 'Last day',
  'inv.custom': 'Custom',
  'inv.from': 'From',
  'inv.to': 'To',
  'inv.field': 'Field',
  'inv.value': 'Value',
  'inv.addFilter': 'Add filter',
  'inv.text': 'Free text',
  'inv.textPlaceholder': 'e.g. update-check',
  'inv.search': 'Search',
  'inv.searching': 'Searching…',
  'inv.matches': '{n} events on this page · {ms} ms',
  'inv.none': 'No events match. Widen the time range or remove a filter.',
  'inv.more': 'Next page',
  'inv.first': 'First page',
  'inv.page': 'Page {n}',
  'inv.time': 'Time',
  'inv.host': 'Host',
  'inv.action': 'Action',
  'inv.summary': 'Summary',
  'inv.histogram': 'Matches over time',
  'inv.removeFilter': 'Remove filter {f}',
  'inv.filterBy': 'Filter by this value',
  'alerts.title': 'Alerts',
  'alerts.none': 'No alerts yet.',
  'alerts.count': '{n} events',
  'alerts.search': 'Search these events',
  'net.title': 'Network',
  'net.segments': 'Segments',
  'net.hosts': 'Hosts',
  'net.total': '{n} hosts',
  'net.all': 'All segments',
  'net.q': 'Name or IP',
  'net.state': 'State',
  'net.any': 'Any',
  'net.name': 'Name',
  'net.ip': 'IP',
  'net.role': 'Role',
  'net.os': 'OS',
  'net.segment': 'Segment',
  'net.dept': 'Department',
  'net.live': 'LIVE',
  'net.more': 'Show more',
  'net.shown': '{shown} of {total} shown',
  'net.select': 'Select a host to see its detail.',
  'net.fqdn': 'FQDN',
  'net.services': 'Services',
  'net.users': 'Users',
  'net.tags': 'Tags',
  'net.activity': 'Recent activity (last hour)',
  'net.noActivity': 'No activity in the last hour.',
  'net.alerts': 'Alerts on this host',
  'net.respond': 'Response actions',
  'state.up': 'up',
  'state.isolated': 'isolated',
  'state.restored': 'restored',
  'state.unknown': 'unknown',
  'resp.title': 'Response actions',
  'resp.new': 'New action',
  'resp.action': 'Action',
  'resp.target': 'Target',
  'resp.host': 'Host',
  'resp.domain': 'Domain',
  'resp.ip': 'IP address',
  'resp.account': 'Account',
  'resp.process': 'Process',
  'resp.kind': 'Evidence',
  'resp.path': 'Path',
  'resp.reason': 'Reason',
  'resp.review': 'Review…',
  'resp.confirmQ': 'Confirm: {what}?',
  'resp.confirmHelp': 'This is recorded for your team and may affect users on the range.',
  'resp.confirm': 'Confirm',
  'resp.cancel': 'Cancel',
  'resp.running': 'Running…',
  'resp.ok': 'Done',
  'resp.fail': 'Failed',
  'resp.history': "Team's actions",
  'resp.none': 'No actions yet.',
  'resp.by': 'by {who}',
  'resp.undone': 'undone by {who}: {why}',
  'a.host.isolate': 'Isolate host',
  'a.host.release': 'Release host',
  'a.proxy.block': 'Block domain',
  'a.proxy.unblock': 'Unblock domain',
  'a.firewall.block': 'Block IP',
  'a.firewall.unblock': 'Unblock IP',
  'a.account.disable': 'Disable account',
  'a.account.enable': 'Enable account',
  'a.account.reset': 'Reset account password',
  'a.process.kill': 'Kill process',
  'a.host.restore': 'Restore host',
  'a.evidence.collect': 'Collect evidence',
};

const JA: Dict = {
  'nav.investigate': '調査',
  'nav.network': 'ネットワーク',
  'nav.respond': '対処',
  'inv.title': 'ログ検索',
  'inv.range': '期間',
  'inv.p15m': '直近15分',
  'inv.p1h': '直近1時間',
  'inv.p4h': '直近4時間',
  'inv.p1d': '直近1日',
  'inv.custom': '指定',
  'inv.from': '開始',
  'inv.to': '終了',
  'inv.field': 'フィールド',
  'inv.value': '値',
  'inv.addFilter': '条件を追加',
  'inv.text': 'フリーテキスト',
  'inv.textPlaceholder': '例: update-check',
  'inv.search': '検索',
  'inv.searching': '検索中…',
  'inv.matches': 'このページ {n} 件 · {ms} ms',
  'inv.none': '該当するイベントはありません。期間を広げるか条件を外してください。',
  'inv.more': '次のページ',
  'inv.first': '最初のページ',
  'inv.page': '{n} ページ目',
  'inv.time': '時刻',
  'inv.host': 'ホスト',
  'inv.action': '動作',
  'inv.summary': '概要',
  'inv.histogram': '時間ごとの件数',
  'inv.removeFilter': '条件 {f} を外す',
  'inv.filterBy': 'この値で絞り込む',
  'alerts.title': 'アラート',
  'alerts.none': 'アラートはまだありません。',
  'alerts.count': '{n} 件',
  'alerts.search': 'このイベントを検索',
  'net.title': 'ネットワーク',
  'net.segments': 'セグメント',
  'net.hosts': 'ホスト',
  'net.total': '{n} 台',
  'net.all': '全セグメント',
  'net.q': '名前または IP',
  'net.state': '状態',
  'net.any': 'すべて',
  'net.name': '名前',
  'net.ip': 'IP',
  'net.role': '役割',
  'net.os': 'OS',
  'net.segment': 'セグメント',
  'net.dept': '部署',
  'net.live': '実機',
  'net.more': 'さらに表示',
  'net.shown': '{total} 台中 {shown} 台を表示',
  'net.select': 'ホストを選ぶと詳細を表示します。',
  'net.fqdn': 'FQDN',
  'net.services': 'サービス',
  'net.users': 'ユーザー',
  'net.tags': 'タグ',
  'net.activity': '最近の動き（直近1時間）',
  'net.noActivity': '直近1時間の動きはありません。',
  'net.alerts': 'このホストのアラート',
  'net.respond': '対処',
  'state.up': '稼働',
  'state.isolated': '隔離中',
  'state.restored': '復旧済み',
  'state.unknown': '不明',
  'resp.title': '対処',
  'resp.new': '新しい対処',
  'resp.action': '対処',
  'resp.target': '対象',
  'resp.host': 'ホスト',
  'resp.domain': 'ドメイン',
  'resp.ip': 'IP アドレス',
  'resp.account': 'アカウント',
  'resp.process': 'プロセス',
  'resp.kind': '証拠の種類',
  'resp.path': 'パス',
  'resp.reason': '理由',
  'resp.review': '確認へ…',
  'resp.confirmQ': '実行しますか: {what}',
  'resp.confirmHelp': 'チームの対処として記録され、利用者に影響することがあります。',
  'resp.confirm': '実行',
  'resp.cancel': 'キャンセル',
  'resp.running': '実行中…',
  'resp.ok': '完了',
  'resp.fail': '失敗',
  'resp.history': 'チームの対処',
  'resp.none': '対処はまだありません。',
  'resp.by': '{who}',
  'resp.undone': '{who} が取り消し: {why}',
  'a.host.isolate': 'ホストを隔離',
  'a.host.release': '隔離を解除',
  'a.proxy.block': 'ドメインを遮断',
  'a.proxy.unblock': 'ドメイン遮断を解除',
  'a.firewall.block': 'IP を遮断',
  'a.firewall.unblock': 'IP 遮断を解除',
  'a.account.disable': 'アカウントを無効化',
  'a.account.enable': 'アカウントを有効化',
  'a.account.reset': 'パスワードをリセット',
  'a.process.kill': 'プロセスを停止',
  'a.host.restore': 'ホストを復元',
  'a.evidence.collect': '証拠を収集',
};

/** The workspace's own text, in the chosen language (English when a key is missing). */
export function wt(key: string, vars: Record<string, string | number> = {}): string {
  const s = (lang() === 'ja' ? JA[key] : undefined) ?? EN[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`));
}

export function teamBase(team: string): string {
  return `/api/teams/${encodeURIComponent(team)}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Wall ms as `HH:MM:SS` (with `MM-DD ` when asked) in the scenario's time zone (UTC if unknown). */
export function clockOf(ms: number, withDate = false): string {
  const p = zoned(ms);
  if (!p) {
    const d = new Date(ms);
    return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  }
  const time = `${p.hour}:${p.minute}:${p.second}`;
  return withDate ? `${p.month}-${p.day} ${time}` : time;
}

/** A record's time in ms (its `@timestamp`, ISO or ms). */
export function recordMs(doc: TelemetryDocument): number {
  const v = doc['@timestamp'];
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Date.parse(v);
  return Number.NaN;
}

let epochMs: number | undefined;

async function scenarioSeconds(): Promise<number> {
  const board = await api<ScoreboardView>('GET', '/api/scoreboard');
  return board.at;
}

/**
 * The exercise's "now" in wall ms. The server caps every search at the current scenario time; the
 * page learns the scenario's epoch once from the newest telemetry of a few hosts (their last hour
 * of activity), then follows the scenario clock from the scoreboard.
 */
export async function exerciseNow(team: string): Promise<number> {
  const at = await scenarioSeconds();
  // The shell states the session's epoch; the guess from telemetry is for servers that do not.
  if (epochMs === undefined) epochMs = bootData().epochMs;
  if (epochMs === undefined) {
    const base = teamBase(team);
    const inv = await api<HostInventory>('GET', `${base}/hosts?limit=8`);
    let newest = Number.NaN;
    for (const host of inv.hosts.slice(0, 8)) {
      const d = await api<HostDetail>('GET', `${base}/hosts/${encodeURIComponent(host.name)}`);
      for (const r of d.recentActivity) {
        const ms = recordMs(r);
        if (Number.isFinite(ms) && !(ms <= newest)) newest = ms;
      }
      if (Number.isFinite(newest)) break;
    }
    if (!Number.isFinite(newest)) return Date.now();
    epochMs = newest - at * 1000;
  }
  // A little slack: the newest record may be slightly older than "now"; the server caps at now.
  return epochMs + at * 1000 + 5 * 60_000;
}

/** A short one-line summary of a record for tables. */
export function summaryOf(doc: TelemetryDocument): string {
  const keys = [
    'url.full',
    'destination.domain',
    'dns.question.name',
    'process.command_line',
    'process.name',
    'file.path',
    'source.ip',
    'destination.ip',
    'user.name',
    'message',
  ];
  const out: string[] = [];
  for (const k of keys) {
    const v = doc[k];
    if (v !== undefined && v !== '') out.push(`${k}=${String(v)}`);
    if (out.length >= 4) break;
  }
  return out.join('  ');
}
