/**
 * Time to detect and time to respond per attack step: from the step to the first credit for one
 * of its detection (or report) expectations, and to the first credit for one of its containment
 * expectations. A step with no such expectation, or not yet detected, has no time.
 */
import type { ExpectationScore } from './expectation-score';
import type { GroundTruth } from './ground-truth';

export interface StepTiming {
  inject: string;
  technique?: string;
  at: number;
  detectedAt?: number;
  respondedAt?: number;
  timeToDetect?: number;
  timeToRespond?: number;
}

function firstCredit(list: readonly ExpectationScore[]): number | undefined {
  let first: number | undefined;
  for (const x of list) {
    if (x.firstCreditAt !== undefined && (first === undefined || x.firstCreditAt < first))
      first = x.firstCreditAt;
  }
  return first;
}

export function stepTimings(truth: GroundTruth, expectations: readonly ExpectationScore[]): StepTiming[] {
  return [...truth.steps.values()]
    .sort((a, b) => a.at - b.at || a.inject.localeCompare(b.inject))
    .map((step) => {
      const own = expectations.filter((x) => x.inject === step.inject);
      const detectedAt = firstCredit(own.filter((x) => x.type === 'detection'));
      const respondedAt = firstCredit(own.filter((x) => x.type === 'containment'));
      return {
        inject: step.inject,
        ...(step.technique ? { technique: step.technique } : {}),
        at: step.at,
        ...(detectedAt !== undefined ? { detectedAt, timeToDetect: detectedAt - step.at } : {}),
        ...(respondedAt !== undefined ? { respondedAt, timeToRespond: respondedAt - step.at } : {}),
      };
    });
}

/** Mean of the defined values, or undefined when there are none. */
export function meanOf(values: readonly (number | undefined)[]): number | undefined {
  const defined = values.filter((v): v is number => v !== undefined);
  return defined.length ? defined.reduce((a, b) => a + b, 0) / defined.length : undefined;
}
