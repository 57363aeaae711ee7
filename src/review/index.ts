/** The after-action review: a pure fold of the event log, and its exports. */
export { buildReview, editsOf, REVIEW_EDITED, type ReviewOptions, ratingOf } from './build-review';
export {
  clock,
  escapeHtml,
  reviewCsv,
  reviewHtml,
  reviewJson,
  reviewXapi,
  type XapiStatement,
} from './exports';
export type * from './review-types';
