/**
 * The `tbkit` CLI as an installed package runs it: src/ compiled to JavaScript (dist/src, as
 * `npm run build` makes it), bin/tbkit.js, package.json and proto/ in a temp dir, node_modules
 * linked. A checkout without dist/ runs the CLI through tsx, which compiles TypeScript at every
 * start; the process rows time what a user of the package runs, and the start row shows both.
 * Each file goes through TypeScript's own emitter (transpileModule, the project's compiler
 * options): the JavaScript `tsc` writes, without type-checking the whole project first.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

const REPO = path.resolve(__dirname, '..');

export interface CompiledCli {
  /** bin/tbkit.js inside the temp package (it picks dist/ there). */
  bin: string;
  files: number;
  seconds: number;
  cleanup: () => void;
}

function compilerOptions(): ts.CompilerOptions {
  const cfg = ts.readConfigFile(path.join(REPO, 'tsconfig.json'), (f) => fs.readFileSync(f, 'utf8'));
  if (cfg.error) throw new Error(`tsconfig.json: ${ts.flattenDiagnosticMessageText(cfg.error.messageText, '\n')}`);
  const { options } = ts.convertCompilerOptionsFromJson(cfg.config.compilerOptions, REPO);
  return { ...options, sourceMap: false, declaration: false };
}

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

export function buildCompiledCli(tmp: string): CompiledCli {
  const t0 = Date.now();
  const root = fs.mkdtempSync(path.join(tmp, 'tbkit-package-'));
  const options = compilerOptions();
  const files = sources(path.join(REPO, 'src'));
  for (const file of files) {
    const rel = path.relative(REPO, file);
    const out = path.join(root, 'dist', rel.replace(/\.ts$/, '.js'));
    const js = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: options, fileName: rel }).outputText;
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, js);
  }
  for (const p of ['bin', 'proto', 'package.json']) fs.cpSync(path.join(REPO, p), path.join(root, p), { recursive: true });
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  return { bin: path.join(root, 'bin', 'tbkit.js'), files: files.length, seconds: (Date.now() - t0) / 1000, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}
