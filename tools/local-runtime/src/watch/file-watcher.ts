/**
 * Saves in the workspace's source directories, as batches of workspace-relative paths: one batch
 * per burst of events (an editor's save is often several: truncate, write, rename). Whether a
 * file's content really changed is for the caller to tell.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { join, sep } from 'node:path';

/** Directories that hold sources but never anything the loop must react to. */
const IGNORED = /(^|\/)(node_modules|dist|cdk\.out|tmp|coverage|\.git|\.nx|\.local)(\/|$)/;

export interface FileWatcherOptions {
  root: string;
  /** Workspace-relative directories watched recursively. */
  dirs: string[];
  /** Workspace-relative files at the root watched on their own (cdk.json, …). */
  files: string[];
  /** Quiet time that ends a burst of events. @default 30 ms */
  settleMs?: number;
  onChanges(files: string[]): void;
}

export class FileWatcher {
  private readonly watchers: FSWatcher[] = [];
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: FileWatcherOptions) {
    const { root } = options;
    for (const dir of options.dirs) {
      if (!existsSync(join(root, dir))) continue;
      const watcher = watch(join(root, dir), { recursive: true }, (_event, name) => {
        if (name) this.saw(`${dir}/${String(name).split(sep).join('/')}`);
      });
      this.watchers.push(watcher);
    }
    for (const file of options.files) {
      if (!existsSync(join(root, file))) continue;
      this.watchers.push(watch(join(root, file), () => this.saw(file)));
    }
  }

  close(): void {
    clearTimeout(this.timer);
    for (const watcher of this.watchers) watcher.close();
  }

  private saw(file: string): void {
    if (IGNORED.test(file)) return;
    this.pending.add(file);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const files = [...this.pending].sort();
      this.pending.clear();
      this.options.onChanges(files);
    }, this.options.settleMs ?? 30);
  }
}
