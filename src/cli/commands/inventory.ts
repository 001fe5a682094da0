import type { Command } from 'commander';
import type { GlobalOptions } from '../runtime.js';

// TODO: import and export of the AI system inventory are being written.
export function registerInventoryCommands(_program: Command, _globals: () => GlobalOptions): void {}
