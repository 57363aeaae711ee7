/** The exercise facts the server put in the page shell (see src/server/web/web-console.ts). */
import type { ConsoleBoot } from '../../src/wire/console';

let boot: ConsoleBoot | undefined;

export function bootData(): ConsoleBoot {
  if (boot) return boot;
  const el = document.getElementById('cyrange-boot');
  const fallback: ConsoleBoot = {
    session: '',
    title: 'cyrange',
    language: 'en',
    timezone: 'UTC',
    start: 0,
    duration: 0,
  };
  try {
    boot = el?.textContent ? { ...fallback, ...(JSON.parse(el.textContent) as ConsoleBoot) } : fallback;
  } catch {
    boot = fallback;
  }
  return boot;
}
