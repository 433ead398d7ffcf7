/** User model / state save-restore adapter used for checkpoints (src/tfjs TfjsCheckpointer is one). */
export interface Checkpointer {
  /** Writes the model/state into `dir` (which the caller treats as opaque). */
  save(dir: string): Promise<void>;
  /** Reads what `save` wrote. */
  restore(dir: string): Promise<void>;
}
