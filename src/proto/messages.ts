/**
 * The TensorBoard messages, loaded with protobufjs from the `.proto` sources in `proto/`.
 *
 * Loading is done once, lazily, so that importing tbkit costs nothing until a message is encoded.
 * Field numbers and names are exactly TensorBoard's; see proto/tensorboard/*.proto for the upstream paths.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as protobuf from 'protobufjs';

const PROTO_FILES = [
  'tensorboard/event.proto',
  'tensorboard/plugins/scalar.proto',
  'tensorboard/plugins/histogram.proto',
  'tensorboard/plugins/image.proto',
  'tensorboard/plugins/audio.proto',
  'tensorboard/plugins/text.proto',
  'tensorboard/plugins/pr_curve.proto',
  'tensorboard/plugins/custom_scalar.proto',
  'tensorboard/plugins/hparams.proto',
  'tensorboard/plugins/projector.proto',
];

/** Finds `proto/` whether we run from `src/` (tsx) or from `dist/src/` (compiled). */
function protoDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'proto', 'tensorboard', 'event.proto');
    if (fs.existsSync(candidate)) return path.join(dir, 'proto');
    dir = path.dirname(dir);
  }
  throw new Error(`tbkit: cannot find the proto/ directory above ${__dirname}; reinstall the package`);
}

let root: protobuf.Root | undefined;

function protoRoot(): protobuf.Root {
  if (root) return root;
  const base = protoDir();
  const r = new protobuf.Root();
  r.resolvePath = (_origin, target) => {
    // google/protobuf/*.proto are protobufjs' bundled "common" definitions.
    if (target.startsWith('google/protobuf/')) return target;
    return path.isAbsolute(target) ? target : path.join(base, target);
  };
  r.loadSync(PROTO_FILES.map((f) => path.join(base, f)), { keepCase: true });
  r.resolveAll();
  root = r;
  return r;
}

/** Looks up a message type by its full name, e.g. `tensorboard.Event`. */
export function messageType(fullName: string): protobuf.Type {
  return protoRoot().lookupType(fullName);
}

/** Lazily resolved message types used across layers. */
export const T = {
  get Event() { return messageType('tensorboard.Event'); },
  get SummaryMetadata() { return messageType('tensorboard.SummaryMetadata'); },
  get HParamsPluginData() { return messageType('tensorboard.hparams.HParamsPluginData'); },
  get Layout() { return messageType('tensorboard.Layout'); },
};

/** DataType enum values (tensorboard.DataType). */
export const DT = { FLOAT: 1, DOUBLE: 2, INT32: 3, UINT8: 4, STRING: 7, INT64: 9, BOOL: 10 } as const;

/** SummaryMetadata.DataClass values. */
export const DataClass = { UNKNOWN: 0, SCALAR: 1, TENSOR: 2, BLOB_SEQUENCE: 3 } as const;

/** SessionLog.SessionStatus values. */
export const SessionStatus = { STATUS_UNSPECIFIED: 0, START: 1, STOP: 2, CHECKPOINT: 3 } as const;
