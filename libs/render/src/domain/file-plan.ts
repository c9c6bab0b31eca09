import type { RenderedConfig, RenderedFile } from './rendered-config';

/**
 * A file a renderer writes, its content not produced yet. Each renderer lists its files as these, so
 * renderPaths reads the very same list without rendering (the worker needs every target's paths before
 * it knows the host's OS) and the paths cannot drift from what renderHost writes.
 */
export interface PlannedFile {
  path: string;
  mode: number;
  content: () => string;
}

/** A target's files (in render order) and the paths it removes, as renderHost would give them without options.previousFiles. */
export interface FilePlan {
  files: PlannedFile[];
  removes: string[];
}

/** The plan's files with their content. */
export function renderPlan(plan: FilePlan): Pick<RenderedConfig, 'files' | 'removes'> {
  return { files: plan.files.map((f): RenderedFile => ({ path: f.path, content: f.content(), mode: f.mode })), removes: plan.removes };
}
