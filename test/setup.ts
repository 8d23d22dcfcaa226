// Jest setup (setupFiles): luxon throws on invalid DateTimes instead of returning them, so a bad
// zone or date in a test or in the code under test fails loudly.
import { Settings } from 'luxon';

Settings.throwOnInvalid = true;
