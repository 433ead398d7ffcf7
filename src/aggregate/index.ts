/** Runs across seeds: grouping, statistics and intervals, aligned series, reduced runs written back as event files. */
export { groupRuns, GroupingError, SEED_HPARAM } from './group';
export type { GroupBy, GroupableRun, Grouping, RunGroup, HParamValue } from './group';
export { aggregate } from './aggregate';
export type { TagAggregate } from './aggregate';
export { alignSeries } from './align';
export type { AlignedPoint, AlignedSeries, SeriesPoint } from './align';
export { describeValues, mean, meanInterval, sampleStd, welchDifference } from './stats';
export type { Difference, Interval, ValueStats } from './stats';
export { tCritical } from './student-t';
export { bestModeFor, isBetter, summarize } from './metric';
export type { BestMode, MetricSummary } from './metric';
export { reduceGroups } from './reduce';
export type { ReduceOptions, ReducedRun } from './reduce';
