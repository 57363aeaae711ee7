/**
 * What the server sends: the JSON bodies of REST answers and socket.io pushes. Shared with the
 * web client, so both sides agree on field names by construction.
 */
import type { Ranked } from '../scoring/ranking';
import type { ScoreboardRow } from '../scoring/scoreboard';
import type { TeamView } from '../scoring/team-view';
import type { Role } from './roles';

export type { ScoreboardRow, TeamView };

/** Who the caller is (`GET /api/me`). */
export interface Me {
  role: Role;
  /** The team of a team member; absent for the white cell and spectators. */
  team?: string;
  session: string;
  label: string;
  /** Send back in `x-csrf-token` on every POST/PUT/PATCH/DELETE. */
  csrfToken: string;
}

/** The scoreboard as one audience sees it. `staff` is live; `public` honours freeze and anonymisation. */
export interface ScoreboardView {
  session: string;
  audience: 'staff' | 'public';
  /** Scenario seconds the board was computed at. */
  at: number;
  /** Increases with every recomputation that changed something; clients drop older boards. */
  version: number;
  /** Wall ms when the server computed it (for latency measurements). */
  computedAt: number;
  frozen: boolean;
  rows: Ranked<ScoreboardRow>[];
}

/** A team's own score: its total and, when the scenario allows, every line of its breakdown. */
export interface TeamScoreView extends TeamView {
  session: string;
  at: number;
  version: number;
}

/** A message an inject delivered to a team's inbox. */
export interface InboxMessage {
  id: number;
  inject: string;
  from: string;
  sender: string;
  subject: string;
  body: string;
  attachments: { name: string; contentType: string; size: number }[];
  scenarioTime: number;
  wallTime: number;
}

/** One entry of a team's own activity feed (`GET /api/teams/:team/events`). */
export interface TeamEvent {
  seq: number;
  type: string;
  team: string | null;
  scenarioTime: number;
  wallTime: number;
  payload: unknown;
}

/** A join link as the controller sees it (the token itself is shown once, at creation). */
export interface JoinLinkInfo {
  id: string;
  role: Role;
  team?: string;
  label: string;
  createdAt: number;
  expiresAt: number;
  revoked: boolean;
}

export interface CreatedJoinLink extends JoinLinkInfo {
  token: string;
  url: string;
}
