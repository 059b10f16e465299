/**
 * Imported first by bench/startup-phases.ts: its evaluation marks the end of node's and tsx's
 * own start and the beginning of loading the portal's modules (imports run in order).
 */
export const bootEnd = { wall: performance.now(), cpu: process.cpuUsage() };
