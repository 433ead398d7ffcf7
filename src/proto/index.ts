/** Protobuf: TensorBoard's message types (loaded from proto/*.proto) and the hand-written wire helpers. */
export { T, DT, DataClass, SessionStatus, messageType } from './messages';
export {
  varintLength, writeVarint, pushVarint, varintLengthBig, writeVarintBig,
  wireCursor, readLengthVarint, readLengthField, readSafeVarint, skipVarint,
} from './wire';
