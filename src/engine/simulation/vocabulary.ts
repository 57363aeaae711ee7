/**
 * What simulated staff do, as closed tables. Keeping every background string in these tables
 * lets search prove that a value (say the C2's domain) cannot occur in background activity and
 * skip regenerating it entirely.
 */

export const WEB_SITES: { domain: string; paths: string[] }[] = [
  { domain: 'www.google.com', paths: ['/search?q=budget+template', '/search?q=train+timetable', '/'] },
  { domain: 'outlook.office365.com', paths: ['/owa/', '/mail/inbox'] },
  { domain: 'login.microsoftonline.com', paths: ['/common/oauth2/authorize'] },
  { domain: 'www.e-gov.go.jp', paths: ['/', '/law/search'] },
  { domain: 'www.nhk.or.jp', paths: ['/news/', '/news/weather/'] },
  { domain: 'www.yahoo.co.jp', paths: ['/', '/news/'] },
  { domain: 'ja.wikipedia.org', paths: ['/wiki/Main_Page'] },
  { domain: 'update.microsoft.com', paths: ['/v6/ClientWebService/client.asmx'] },
  { domain: 'ctldl.windowsupdate.com', paths: ['/msdownload/update/v3/static/trustedr/en/authrootstl.cab'] },
  { domain: 'www.mhlw.go.jp', paths: ['/stf/newpage.html'] },
  { domain: 'github.com', paths: ['/'] },
  { domain: 'teams.microsoft.com', paths: ['/api/presence', '/_#/conversations'] },
  { domain: 'cdn.jsdelivr.net', paths: ['/npm/jquery@3.7.1/dist/jquery.min.js'] },
  { domain: 'intranet.corp.example', paths: ['/portal/', '/hr/leave', '/docs/manual.pdf'] },
];

export const PROCESSES: string[] = [
  'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE',
  'C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE /dde',
  'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE /n',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe --type=renderer',
  'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
  'C:\\Windows\\System32\\svchost.exe -k netsvcs -p',
  'C:\\Windows\\explorer.exe',
  'C:\\Windows\\System32\\taskhostw.exe',
  'C:\\Windows\\System32\\SearchProtocolHost.exe',
  'C:\\Program Files\\Windows Defender\\MsMpEng.exe',
  'C:\\Windows\\System32\\conhost.exe 0xffffffff -ForceV1',
  'C:\\Windows\\System32\\notepad.exe',
];

/** Odd but benign: admins' and tools' habits that look like attacker tradecraft. */
export const DECOY_PROCESSES: string[] = [
  'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -ExecutionPolicy Bypass -File \\\\fs01\\it\\inventory.ps1',
  'C:\\Windows\\System32\\cmd.exe /c net use Z: \\\\fs01\\shared',
  'C:\\Windows\\System32\\whoami.exe /groups',
];

export const SHARES: { share: string; paths: string[] }[] = [
  {
    share: 'shared',
    paths: ['minutes\\2026-weekly.docx', 'templates\\expense.xlsx', 'policy\\guideline.pdf'],
  },
  { share: 'finance', paths: ['budget\\fy2026.xlsx', 'invoices\\november.xlsx'] },
  { share: 'it', paths: ['inventory.ps1', 'manuals\\vpn.pdf'] },
];

export const MAIL_SUBJECTS: string[] = [
  'Weekly meeting minutes',
  'Re: Budget review',
  'Leave request',
  'Training schedule update',
  'Re: Re: Vendor quotation',
  'Press release draft',
  'Monthly security newsletter',
];

/** Internal services a workstation talks to, by the role of the team's server that offers them. */
export const INTERNAL_SERVICES: { server: 'domainController' | 'fileServer' | 'mailServer'; port: number }[] =
  [
    { server: 'domainController', port: 445 },
    { server: 'domainController', port: 389 },
    { server: 'fileServer', port: 445 },
    { server: 'mailServer', port: 993 },
  ];
