import type { ActionPlan } from '../../compiler/plan';

type MailAction = Extract<ActionPlan, { type: 'mail' }>;

/**
 * Renders a mail inject as a complete RFC 5322 message (multipart/mixed when it has attachments),
 * the raw `.eml` trainees open to read headers. Deterministic: the boundary and Message-ID come
 * from the idempotency key, the Date from the firing's scenario time.
 */
export function renderMail(a: MailAction, opts: { key: string; dateMs: number; domain: string }): string {
  const id = Buffer.from(opts.key).toString('base64url').slice(-24);
  const headers: [string, string][] = [
    ['From', `${encodeWord(a.fromName)} <${a.from}>`],
    ['To', a.to],
    ['Subject', encodeWord(a.subject)],
    ['Date', new Date(opts.dateMs).toUTCString().replace('GMT', '+0000')],
    ['Message-ID', `<${id}@${a.from.split('@')[1] ?? opts.domain}>`],
    ['MIME-Version', '1.0'],
    ...Object.entries(a.headers),
  ];
  const text = Buffer.from(a.body, 'utf8').toString('base64');
  const lines = headers.map(([k, v]) => `${k}: ${v}`);
  if (a.attachments.length === 0) {
    return [
      ...lines,
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      wrap(text),
      '',
    ].join('\r\n');
  }
  const boundary = `cyrange-${id}`;
  const parts = [
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    wrap(text),
  ];
  for (const att of a.attachments) {
    parts.push(
      `--${boundary}`,
      `Content-Type: ${att.contentType}; name="${att.name}"`,
      `Content-Disposition: attachment; filename="${att.name}"`,
      'Content-Transfer-Encoding: base64',
      '',
      wrap(Buffer.from(att.content, 'utf8').toString('base64')),
    );
  }
  parts.push(`--${boundary}--`, '');
  return [...lines, `Content-Type: multipart/mixed; boundary="${boundary}"`, '', ...parts].join('\r\n');
}

function encodeWord(s: string): string {
  return /^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`;
}

function wrap(b64: string): string {
  return b64.match(/.{1,76}/g)?.join('\r\n') ?? '';
}
