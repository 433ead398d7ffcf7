/** Domain-free helpers shared by every layer. */
export { coarseNow } from './coarse-clock';
export { createRng } from './random';
export { isPromiseLike, isTensorLike, type TensorLike } from './tensor-like';
