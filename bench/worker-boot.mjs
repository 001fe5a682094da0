// Worker threads do not inherit the tsx loader that the benchmark runs under, so each worker
// registers it here before it imports its TypeScript entry point.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
