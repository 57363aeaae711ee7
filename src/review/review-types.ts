/** The after-action review's data: what the instructor page, the exports and the tests read. */

export type TimelineKind =
  | 'inject'
  | 'attack'
  | 'message'
  | 'detection'
  | 'alert'
  | 'action'
  | 'report'
  | 'outage'
  | 'restored'
  | 'penalty'
  | 'score'
  | 'grade'
  | 'hint'
  | 'control';

export interface TimelineItem {
  /** Scenario seconds. */
  at: number;
  seq: number;
  team: string;
  kind: TimelineKind;
  /** Short text (participant text is kept as text; renderers escape it). */
  title: string;
  technique?: string;
  inject?: string;
  points?: number;
  by?: string;
}

export interface StepRow {
  inject: string;
  title: string;
  technique?: string;
  tactic?: string;
  at: number;
  timeToDetect?: number;
  timeToRespond?: number;
  detected: boolean;
  responded: boolean;
}

export type Rating = 'P' | 'S' | 'M' | 'U';

export interface Objective {
  id: string;
  title: string;
  /** Per team: the rating derived from expectations, or the instructor's when edited. */
  ratings: Record<string, Rating>;
  /** Per team: share of the objective's points earned (0..1). */
  shares: Record<string, number>;
  edited: boolean;
}

export interface HseepSummary {
  objectives: Objective[];
  strengths: string[];
  improvements: string[];
  notes: string;
  editedBy?: string;
}

export interface TeamReview {
  team: string;
  name: string;
  total: number;
  timeline: TimelineItem[];
  steps: StepRow[];
  /** Score after each change: [scenario seconds, total]. */
  scoreSeries: [number, number][];
  meanTimeToDetect?: number;
  meanTimeToRespond?: number;
}

export interface Review {
  session: string;
  scenario: { id: string; title: string; timezone: string };
  /** Scenario seconds the review describes (replay: the state at this time). */
  at: number;
  /** Last scenario second in the log (the replay slider's end). */
  end: number;
  epochMs?: number;
  teams: TeamReview[];
  /** Technique coverage: per attack step, which teams detected it. */
  coverage: { inject: string; technique?: string; title: string; caught: Record<string, boolean> }[];
  summary: HseepSummary;
}

/** The instructor's edit of the summary, stored as an event in the log (`review.edited`). */
export interface ReviewEdit {
  objective?: string;
  team?: string;
  rating?: Rating;
  strengths?: string[];
  improvements?: string[];
  notes?: string;
  by: string;
}
