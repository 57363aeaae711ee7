/**
 * The client→server socket events, read from `ClientToServerEvents` in src/wire/socket-events.ts
 * with the TypeScript parser: the fuzzer covers an event as soon as the wire types declare it.
 * An event whose listener type has an `ack` parameter is a request that must be answered; its doc
 * comment's `Payload: \`{ … }\`` names the keys a well-formed payload has.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

export interface ClientEvent {
  name: string;
  /** A request with an ack (fire-and-forget events such as keystrokes have none). */
  acked: boolean;
  /** The payload's keys, from the listener's doc comment (`Payload: \`{ host, cols, rows }\``). */
  keys: string[];
}

export const SOCKET_EVENTS_FILE = join(__dirname, '../../../src/wire/socket-events.ts');

export function clientEvents(file = SOCKET_EVENTS_FILE): ClientEvent[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const events: ClientEvent[] = [];
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node) || node.name.text !== 'ClientToServerEvents') return;
    for (const member of node.members) {
      if (!ts.isPropertySignature(member) || !member.type || !ts.isFunctionTypeNode(member.type)) continue;
      const name = ts.isStringLiteral(member.name) ? member.name.text : member.name.getText(source);
      const acked = member.type.parameters.some((p) => p.name.getText(source) === 'ack');
      const doc = ts
        .getJSDocCommentsAndTags(member)
        .map((d) => d.getText(source))
        .join(' ');
      const keys =
        /Payload: `\{([^}]*)\}`/
          .exec(doc)?.[1]
          ?.split(',')
          .map((k) => k.trim())
          .filter(Boolean) ?? [];
      events.push({ name, acked, keys });
    }
  });
  return events;
}
