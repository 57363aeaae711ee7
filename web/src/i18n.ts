/**
 * English and Japanese. The scenario's language is the default; the user's choice is kept in
 * this browser. Every page re-renders when the language changes.
 */
import { bootData } from './boot';

export type Lang = 'en' | 'ja';

const en = {
  'app.name': 'cyrange',
  'lang.switch': '日本語',
  'lang.switchLabel': 'Switch language to Japanese',
  'nav.team': 'Team portal',
  'nav.scoreboard': 'Scoreboard',
  'nav.controller': 'Controller',
  'nav.logout': 'Log out',
  'role.controller': 'Controller',
  'role.evaluator': 'Evaluator',
  'role.team': 'Team',
  'role.spectator': 'Spectator',
  'join.joining': 'Joining the exercise…',
  'join.noToken': 'This link has no token. Ask the controller for your join link.',
  'join.failed': 'Could not join: {message}',
  'join.help':
    'Each team, the white cell and the projector get their own link from the controller. Links work until the exercise ends or the controller revokes them.',
  'home.notLoggedIn': 'You are not logged in. Open the join link the controller gave you.',
  'home.loading': 'Loading…',
  'error.generic': 'Something went wrong: {message}',
  'error.forbidden': 'This page is not for your role.',
  'inbox.title': 'Inbox',
  'inbox.empty': 'No messages yet. Messages from the SOC, CSIRT, management and vendors appear here.',
  'inbox.from': 'From',
  'inbox.received': 'Received',
  'inbox.attachments': 'Attachments',
  'inbox.view': 'View as text',
  'inbox.download': 'Download',
  'inbox.select': 'Select a message to read it.',
  'inbox.new': 'New message: {subject}',
  'report.title': 'Incident report',
  'report.kind': 'Kind',
  'report.kind.incident': 'Incident report',
  'report.kind.escalation': 'Escalation',
  'report.kind.situation': 'Situation report',
  'report.to': 'Addressed to',
  'report.to.none': '(not specified)',
  'report.to.csirt': 'CSIRT',
  'report.to.management': 'Management',
  'report.to.vendor': 'Vendor',
  'report.to.soc': 'SOC',
  'report.to.police': 'Police',
  'report.to.other': 'Other',
  'report.subject': 'Title',
  'report.hosts': 'Affected hosts (one per line)',
  'report.accounts': 'Accounts (one per line)',
  'report.indicators': 'Indicators: domains, IPs, hashes (one per line)',
  'report.techniques': 'ATT&CK techniques (e.g. T1071.001, one per line)',
  'report.narrative': 'What happened and what you did',
  'report.submit': 'Submit report',
  'report.submitting': 'Submitting…',
  'report.submitted': 'Report submitted at {time}.',
  'report.history': 'Submitted reports',
  'report.none': 'No report submitted yet.',
  'report.by': 'by {actor}',
  'score.title': 'Our score',
  'score.total': 'Total',
  'score.frozen': 'The scoreboard is frozen: this is the score as of the freeze.',
  'score.hidden': 'This exercise shows teams their total only.',
  'score.when': 'When',
  'score.points': 'Points',
  'score.reason': 'Why',
  'score.none': 'No points yet.',
  'board.title': 'Scoreboard',
  'board.rank': '#',
  'board.team': 'Team',
  'board.total': 'Score',
  'board.expectations': 'Objectives met',
  'board.mttd': 'Mean time to detect',
  'board.mttr': 'Mean time to respond',
  'board.phase': 'Phase',
  'board.frozen': 'Scoreboard frozen',
  'board.live': 'Live',
  'board.offline': 'Reconnecting…',
  'board.chart': 'Score over time',
  'board.chartEmpty': 'The chart fills in as scores change.',
  'board.updated': 'Scenario time {time}',
  'board.recent': 'Latest score changes',
  'board.recentNone': 'No score change yet.',
  'board.objectiveMet': 'objective met',
  'ctl.clock': 'Exercise clock',
  'ctl.status': 'Status',
  'ctl.status.created': 'not started',
  'ctl.status.running': 'running',
  'ctl.status.paused': 'paused',
  'ctl.status.stopped': 'stopped',
  'ctl.start': 'Start',
  'ctl.pause': 'Pause',
  'ctl.resume': 'Resume',
  'ctl.stop': 'End exercise',
  'ctl.stopConfirm': 'End the exercise now? The clock cannot be restarted.',
  'ctl.speed': 'Speed (scenario seconds per second)',
  'ctl.setSpeed': 'Set speed',
  'ctl.scenarioTime': 'Scenario time',
  'ctl.injects': 'Fire or skip an inject',
  'ctl.inject': 'Inject id',
  'ctl.allTeams': 'All teams',
  'ctl.reason': 'Reason (recorded in the log)',
  'ctl.fire': 'Fire now',
  'ctl.skip': 'Skip',
  'ctl.done': '{verb} {inject}: accepted.',
  'ctl.feed': 'Live event feed',
  'ctl.feedEmpty': 'No events yet.',
  'ctl.links': 'Join links',
  'ctl.linkRole': 'Role',
  'ctl.linkTeam': 'Team',
  'ctl.linkLabel': 'Label',
  'ctl.linkExpires': 'Expires',
  'ctl.linkCreate': 'Create link',
  'ctl.linkCreated': 'New link (shown once — copy it now):',
  'ctl.linkRevoke': 'Revoke',
  'ctl.linkRevoked': 'revoked',
  'ctl.freeze': 'Freeze public scoreboard',
  'ctl.unfreeze': 'Unfreeze public scoreboard',
  'ctl.freezeReason': 'Freeze set from the console',
  'common.none': '—',
  'common.team': 'Team',
};

type Key = keyof typeof en;

const ja: Record<Key, string> = {
  'app.name': 'cyrange',
  'lang.switch': 'English',
  'lang.switchLabel': '表示言語を英語に切り替える',
  'nav.team': 'チームポータル',
  'nav.scoreboard': 'スコアボード',
  'nav.controller': 'コントローラ',
  'nav.logout': 'ログアウト',
  'role.controller': 'コントローラ',
  'role.evaluator': '評価者',
  'role.team': 'チーム',
  'role.spectator': '観覧者',
  'join.joining': '演習に参加しています…',
  'join.noToken': 'このリンクにはトークンがありません。コントローラに参加用リンクを確認してください。',
  'join.failed': '参加できませんでした: {message}',
  'join.help':
    '参加用リンクはチームごと、ホワイトセル用、プロジェクタ用にコントローラが配布します。演習の終了またはコントローラによる無効化まで利用できます。',
  'home.notLoggedIn': 'ログインしていません。コントローラから配布された参加用リンクを開いてください。',
  'home.loading': '読み込み中…',
  'error.generic': 'エラーが発生しました: {message}',
  'error.forbidden': 'このページはあなたの役割では利用できません。',
  'inbox.title': '受信箱',
  'inbox.empty': 'メッセージはまだありません。SOC・CSIRT・幹部・ベンダからの連絡がここに届きます。',
  'inbox.from': '差出人',
  'inbox.received': '受信',
  'inbox.attachments': '添付ファイル',
  'inbox.view': 'テキストで表示',
  'inbox.download': 'ダウンロード',
  'inbox.select': 'メッセージを選択すると本文を表示します。',
  'inbox.new': '新着メッセージ: {subject}',
  'report.title': 'インシデント報告',
  'report.kind': '種別',
  'report.kind.incident': 'インシデント報告',
  'report.kind.escalation': 'エスカレーション',
  'report.kind.situation': '状況報告',
  'report.to': '宛先',
  'report.to.none': '(指定なし)',
  'report.to.csirt': 'CSIRT',
  'report.to.management': '幹部',
  'report.to.vendor': 'ベンダ',
  'report.to.soc': 'SOC',
  'report.to.police': '警察',
  'report.to.other': 'その他',
  'report.subject': '件名',
  'report.hosts': '影響を受けたホスト(1行に1つ)',
  'report.accounts': 'アカウント(1行に1つ)',
  'report.indicators': '痕跡情報: ドメイン・IP・ハッシュ(1行に1つ)',
  'report.techniques': 'ATT&CK テクニック(例: T1071.001、1行に1つ)',
  'report.narrative': '何が起きたか、何を実施したか',
  'report.submit': '報告を提出',
  'report.submitting': '提出中…',
  'report.submitted': '{time} に報告を提出しました。',
  'report.history': '提出済みの報告',
  'report.none': 'まだ報告を提出していません。',
  'report.by': '提出者 {actor}',
  'score.title': '自チームのスコア',
  'score.total': '合計',
  'score.frozen': 'スコアボードは凍結中です。凍結時点のスコアを表示しています。',
  'score.hidden': 'この演習ではチームには合計点のみ表示されます。',
  'score.when': '時刻',
  'score.points': '得点',
  'score.reason': '理由',
  'score.none': 'まだ得点はありません。',
  'board.title': 'スコアボード',
  'board.rank': '順位',
  'board.team': 'チーム',
  'board.total': 'スコア',
  'board.expectations': '達成した目標',
  'board.mttd': '平均検知時間',
  'board.mttr': '平均対応時間',
  'board.phase': 'フェーズ',
  'board.frozen': 'スコアボード凍結中',
  'board.live': 'ライブ',
  'board.offline': '再接続中…',
  'board.chart': 'スコアの推移',
  'board.chartEmpty': 'スコアが変化するとグラフが表示されます。',
  'board.updated': 'シナリオ時刻 {time}',
  'board.recent': '最近のスコア変動',
  'board.recentNone': 'スコアの変動はまだありません。',
  'board.objectiveMet': '目標達成',
  'ctl.clock': '演習クロック',
  'ctl.status': '状態',
  'ctl.status.created': '未開始',
  'ctl.status.running': '進行中',
  'ctl.status.paused': '一時停止中',
  'ctl.status.stopped': '終了',
  'ctl.start': '開始',
  'ctl.pause': '一時停止',
  'ctl.resume': '再開',
  'ctl.stop': '演習を終了',
  'ctl.stopConfirm': '演習を終了しますか?クロックは再開できません。',
  'ctl.speed': '速度(実時間1秒あたりのシナリオ秒)',
  'ctl.setSpeed': '速度を設定',
  'ctl.scenarioTime': 'シナリオ時刻',
  'ctl.injects': 'インジェクトの発火・スキップ',
  'ctl.inject': 'インジェクト ID',
  'ctl.allTeams': '全チーム',
  'ctl.reason': '理由(ログに記録されます)',
  'ctl.fire': '今すぐ発火',
  'ctl.skip': 'スキップ',
  'ctl.done': '{inject} の{verb}を受け付けました。',
  'ctl.feed': 'イベントフィード',
  'ctl.feedEmpty': 'イベントはまだありません。',
  'ctl.links': '参加用リンク',
  'ctl.linkRole': '役割',
  'ctl.linkTeam': 'チーム',
  'ctl.linkLabel': 'ラベル',
  'ctl.linkExpires': '有効期限',
  'ctl.linkCreate': 'リンクを作成',
  'ctl.linkCreated': '新しいリンク(表示は一度だけです。今コピーしてください):',
  'ctl.linkRevoke': '無効化',
  'ctl.linkRevoked': '無効',
  'ctl.freeze': '公開スコアボードを凍結',
  'ctl.unfreeze': '公開スコアボードの凍結を解除',
  'ctl.freezeReason': 'コンソールから凍結',
  'common.none': '—',
  'common.team': 'チーム',
};

const DICTS: Record<Lang, Record<Key, string>> = { en, ja };
const STORE_KEY = 'cyrange.lang';
let current: Lang | undefined;
const listeners = new Set<() => void>();

export function lang(): Lang {
  if (current) return current;
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(STORE_KEY);
  } catch {
    // storage disabled: use the scenario's language
  }
  current = saved === 'ja' || saved === 'en' ? saved : bootData().language;
  return current;
}

export function setLang(next: Lang): void {
  current = next;
  try {
    localStorage.setItem(STORE_KEY, next);
  } catch {
    // not kept across reloads, still switched
  }
  document.documentElement.lang = next;
  for (const fn of listeners) fn();
}

/** Calls `fn` after every language switch; returns a function that stops that. */
export function onLangChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** The text for `key` in the current language, `{name}` replaced from `vars` (as text). */
export function t(key: Key, vars: Record<string, string | number> = {}): string {
  const s = DICTS[lang()][key] ?? en[key];
  return s.replace(/\{(\w+)\}/g, (_, k: string) => (k in vars ? String(vars[k]) : `{${k}}`));
}

export type TextKey = Key;
