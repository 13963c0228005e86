/** One measurement, in the shape bench/run.ts tabulates (rows/s and its ratio to raw COPY). */
export interface Measured {
  what: string;
  rows: number;
  seconds: number;
  /** user + system CPU, where measured in a process of its own */
  cpuSeconds?: number;
  /** peak RSS of the process that did the work, where it ran in one of its own */
  peakRssMb?: number;
}

export const secondsSince = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e9;
