/** How the CLI spells the library's option fields, so that an error names what the user typed. */
const FLAGS: Readonly<Record<string, string>> = {
  scenario: '--scenario',
  threads: '--threads',
  iters: '--iters',
  modes: '--mode',
  mode: '--mode',
  expect: '--expect',
  trials: '--trials',
  untilRace: '--until-race',
  widen: '--widen',
  timeoutMs: '--timeout',
  schedule: '--schedule',
  maxStates: '--max-states',
  memoryModel: '--memory-model',
  storeBuffers: '--store-buffers',
  replay: '--replay',
  fault: 'RACE_DEMO_FAULT',
  port: '--port',
};

export function flagOf(field: string): string {
  return FLAGS[field] ?? field;
}
