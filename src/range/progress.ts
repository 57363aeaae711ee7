/**
 * Typed progress events of the live range, emitted by image builds, `up` and `down`. Declared once so the
 * CLI progress bar and (later) the web console read the same shapes.
 */
export type HostState = 'creating' | 'starting' | 'ready' | 'failed' | 'removed' | 'kept';

export type RangeEvent =
  | {
      type: 'image';
      image: string;
      tag: string;
      state: 'cached' | 'building' | 'built' | 'failed';
      detail?: string;
    }
  | { type: 'image-log'; image: string; line: string }
  | {
      type: 'plan';
      exercise: string;
      hosts: { create: number; recreate: number; remove: number; keep: number; restart: number };
      networks: { create: number; remove: number; keep: number };
    }
  | { type: 'network'; team: string; segment: string; name: string; action: 'created' | 'removed' | 'kept' }
  | { type: 'host'; team: string; host: string; name: string; state: HostState; detail?: string }
  | { type: 'guard'; action: 'installed' | 'present' | 'removed' };

export type RangeListener = (event: RangeEvent) => void;

export const ignoreProgress: RangeListener = () => {};
