/**
 * Type-checks a consumer project against an installed tbkit the way a user's `tsc` would with
 * `skipLibCheck: false`, under each module resolution (node16, nodenext, bundler, node10), in one
 * process: the programs share parsed files. Checked: the consumer's files and every declaration
 * file of tbkit. Not checked: other packages' own .d.ts (@tensorflow/tfjs's do not pass
 * skipLibCheck: false themselves — `Long`, `LayersModel implements InferenceModel` — which is
 * theirs to fix, and checking them would take most of the time).
 */
import * as path from 'node:path';
import * as ts from 'typescript';

export type Resolution = 'node16' | 'nodenext' | 'bundler' | 'node10';

const SETTINGS: Record<Resolution, [ts.ModuleKind, ts.ModuleResolutionKind]> = {
  node16: [ts.ModuleKind.Node16, ts.ModuleResolutionKind.Node16],
  nodenext: [ts.ModuleKind.NodeNext, ts.ModuleResolutionKind.NodeNext],
  bundler: [ts.ModuleKind.ESNext, ts.ModuleResolutionKind.Bundler],
  node10: [ts.ModuleKind.CommonJS, ts.ModuleResolutionKind.Node10],
};

/** One line per diagnostic ("file:line: message"); [] when everything type-checks. */
export function typeCheck(projectDir: string, files: readonly string[], resolution: Resolution, host: ts.CompilerHost): string[] {
  const [module, moduleResolution] = SETTINGS[resolution];
  const options: ts.CompilerOptions = {
    module, moduleResolution, target: ts.ScriptTarget.ES2022, strict: true, skipLibCheck: false, noEmit: true,
    types: ['node'], typeRoots: [path.join(projectDir, 'node_modules', '@types')],
  };
  const program = ts.createProgram({ rootNames: files.map((f) => path.join(projectDir, f)), options, host });
  const checked = program.getSourceFiles().filter((sf) => !sf.fileName.includes('/node_modules/') || sf.fileName.includes('/node_modules/tbkit/'));
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...checked.flatMap((sf) => [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]),
  ];
  return diagnostics.map((d) => {
    const where = d.file ? `${path.relative(projectDir, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : '';
    return `${resolution}: ${where}${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

/** A compiler host whose parsed files are shared by every program made with it. */
export function sharedHost(projectDir: string): ts.CompilerHost {
  const base = ts.createCompilerHost({});
  const cache = new Map<string, ts.SourceFile | undefined>();
  return {
    ...base,
    getCurrentDirectory: () => projectDir,
    getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreate) {
      const v = languageVersionOrOptions;
      const key = `${fileName}|${typeof v === 'object' ? `${v.languageVersion}/${v.impliedNodeFormat}` : v}`;
      if (!cache.has(key)) cache.set(key, base.getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreate));
      return cache.get(key);
    },
  };
}
