/**
 * What a multi-seed BN experiment shows: per learning rate, BN against no BN on the final
 * validation accuracy, with Welch's 95 % interval of the difference of the mean accuracies and the
 * conclusion it supports. Only "higher" or "lower" when the interval excludes 0; an interval that
 * contains 0 shows no difference (which is not the same as showing that there is none).
 */
import { welchDifference, type Difference, type HParamValue, type TagAggregate } from '../../aggregate';

export const VERDICT_TAG = 'validation/accuracy';

/** A group as `tbkit compare` builds it: its key (hparams) and its tags' aggregates. */
export interface VerdictGroup {
  key: Record<string, HParamValue | null>;
  metrics: Record<string, TagAggregate>;
}

export interface BnVerdict {
  learningRate: number;
  bn: TagAggregate['last'];
  noBn: TagAggregate['last'];
  /** mean(BN) − mean(no BN); undefined when either has fewer than 2 finite values. */
  difference?: Difference;
  conclusion: 'bn-higher' | 'bn-lower' | 'no-difference-shown' | 'too-few-seeds';
}

/** One verdict per learning rate at which both a BN and a no-BN group have final validation accuracies. */
export function bnVerdicts(groups: readonly VerdictGroup[]): BnVerdict[] {
  const out: BnVerdict[] = [];
  const rates = [...new Set(groups.map((g) => g.key.learning_rate).filter((lr): lr is number => typeof lr === 'number'))];
  for (const learningRate of rates) {
    const find = (useBn: boolean) => groups.find((g) => g.key.learning_rate === learningRate && g.key.use_bn === useBn)?.metrics[VERDICT_TAG];
    const bn = find(true);
    const noBn = find(false);
    if (!bn || !noBn) continue;
    const difference = welchDifference(bn.last.values, noBn.last.values);
    let conclusion: BnVerdict['conclusion'] = 'too-few-seeds';
    if (difference) {
      const { lo, hi } = difference.interval;
      conclusion = lo > 0 ? 'bn-higher' : hi < 0 ? 'bn-lower' : 'no-difference-shown';
    }
    out.push({ learningRate, bn: bn.last, noBn: noBn.last, difference, conclusion });
  }
  return out;
}
