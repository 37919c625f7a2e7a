import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keepPreviousAssembly, previousAssemblyDir } from './previous-assembly';

describe('keepPreviousAssembly', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'previous-assembly-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (path: string, text: string) => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
  };

  it('keeps a copy that a later synthesis cannot change: templates copied, assets linked', () => {
    const cdkOut = join(dir, 'cdk.out');
    const previous = previousAssemblyDir(dir);
    write(join(cdkOut, 'manifest.json'), '{"version":"1"}');
    write(join(cdkOut, 'SmShop.template.json'), '{"build":"a"}');
    write(join(cdkOut, 'asset.abc123', 'index.js'), 'exports.handler = () => "a";');

    expect(keepPreviousAssembly(cdkOut, previous)).toBe(true);
    // The next synthesis rewrites the template in place (same inode) and adds a new asset.
    writeFileSync(join(cdkOut, 'SmShop.template.json'), '{"build":"b"}');
    write(join(cdkOut, 'asset.def456', 'index.js'), 'exports.handler = () => "b";');

    expect(readFileSync(join(previous, 'SmShop.template.json'), 'utf8')).toBe('{"build":"a"}');
    expect(readFileSync(join(previous, 'asset.abc123', 'index.js'), 'utf8')).toBe(
      'exports.handler = () => "a";',
    );
    expect(existsSync(join(previous, 'asset.def456'))).toBe(false);
    expect(statSync(join(previous, 'asset.abc123', 'index.js')).ino).toBe(
      statSync(join(cdkOut, 'asset.abc123', 'index.js')).ino,
    );
    expect(statSync(join(previous, 'SmShop.template.json')).ino).not.toBe(
      statSync(join(cdkOut, 'SmShop.template.json')).ino,
    );
  });

  it('replaces the previous one, and keeps nothing when there is no complete assembly yet', () => {
    const cdkOut = join(dir, 'cdk.out');
    const previous = previousAssemblyDir(dir);
    expect(keepPreviousAssembly(cdkOut, previous)).toBe(false);
    expect(existsSync(previous)).toBe(false);

    write(join(cdkOut, 'manifest.json'), '{"n":1}');
    keepPreviousAssembly(cdkOut, previous);
    writeFileSync(join(cdkOut, 'manifest.json'), '{"n":2}');
    keepPreviousAssembly(cdkOut, previous);
    expect(readFileSync(join(previous, 'manifest.json'), 'utf8')).toBe('{"n":2}');
    expect(previous).toBe(join(dir, '.local', 'assemblies', 'previous'));
  });
});
