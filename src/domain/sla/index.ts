// The pure SLA core: calendar, clocks, deadlines, warnings, availability. No I/O, no machine clock.
export * from './types';
export { Calendar, type Day } from './calendar';
export { reach, counted, pauseList, NO_PAUSES, type PauseList } from './clock';
export * from './engine';
export * from './availability';
export * from './format';
