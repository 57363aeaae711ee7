/** Where each role lands. */
import type { Me } from '../../../src/wire/views';

export function homeOf(me: Me): string {
  switch (me.role) {
    case 'team':
      return '/team';
    case 'controller':
    case 'evaluator':
      return '/controller';
    default:
      return '/scoreboard';
  }
}
