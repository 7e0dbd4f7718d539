import { Injectable, signal } from '@angular/core';
import Parse from 'parse';
import { DEFAULT_SETTINGS, PipelineSettings, settingsFromConfig } from './pipeline-settings';

/**
 * The pipeline's stage settings (probabilities, folded columns, stale limits), read once from the server's
 * Parse.Config. Until it answers — or when offline — the server's defaults apply, so the board never waits.
 */
@Injectable({ providedIn: 'root' })
export class PipelineConfigService {
  private readonly current = signal<PipelineSettings>(DEFAULT_SETTINGS);
  private loading: Promise<void> | null = null;
  readonly settings = this.current.asReadonly();

  load(): Promise<void> {
    this.loading ??= Parse.Config.get()
      .then((config) => this.current.set(settingsFromConfig(config.get('stages'))))
      .catch(() => {
        this.loading = null;
      });
    return this.loading;
  }
}
