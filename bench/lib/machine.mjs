// What the numbers were measured on: they mean nothing without it.
import { cpus, loadavg, totalmem } from 'node:os';
import { availableParallelism } from 'node:os';

export function machine() {
  return {
    nproc: availableParallelism(),
    model: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverageAtStart: loadavg().map((l) => Number(l.toFixed(2))),
    startedAt: new Date().toISOString(),
  };
}
