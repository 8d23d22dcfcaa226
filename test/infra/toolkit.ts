// How the toolkit reads infra/azure.parameters.json (arm/deploy): every ${{NAME}} replaced by the env file's
// value as text, then the result parsed as JSON. Here only the unquoted placeholders are filled (an object
// parameter's JSON), so the checks still see which quoted values come from which variable.
import { parseDotenv } from '../../src/cli/dotenv';

const UNQUOTED = /(?<!")\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}(?!")/g;

/** The parameters of a parameters file, unquoted placeholders filled from `envText`; throws when one is empty. */
export function parametersOf(text: string, envText: string): Record<string, { value: unknown }> {
  const { values } = parseDotenv(envText);
  const filled = text.replace(UNQUOTED, (_, name: string) => {
    const value = values[name];
    if (value === undefined || value === '')
      throw new Error(`${name} is placed unquoted in the parameters file, so the env file must give it JSON`);
    return value;
  });
  return (JSON.parse(filled) as { parameters: Record<string, { value: unknown }> }).parameters;
}

/** Every placeholder of a parameters file that stands unquoted (its value must be JSON). */
export function unquotedPlaceholders(text: string): string[] {
  return [...text.matchAll(UNQUOTED)].map((m) => m[1] ?? '');
}

/**
 * What a `script` step writes to the env file (`::set-teamsfx-env NAME=...` lines its program prints), for the
 * scripts the toolkit files run; test/app-package/publish.test.ts runs each and checks the names.
 */
export const SCRIPT_OUTPUTS: Readonly<Record<string, readonly string[]>> = {
  'npx --no-install tsx src/cli/app-version.ts': ['APP_VERSION'],
};

/** The names a step writes: its writeToEnvironmentFile values, or what its script prints. */
export function writtenBy(step: {
  readonly uses: string;
  readonly with?: Record<string, unknown>;
  readonly writeToEnvironmentFile?: Record<string, string>;
}): string[] {
  const command = step.with?.['run'];
  const run = step.uses === 'script' ? (typeof command === 'string' ? command.trim() : '') : undefined;
  if (run !== undefined && SCRIPT_OUTPUTS[run] === undefined) throw new Error(`unknown script: ${run}`);
  return [
    ...Object.values(step.writeToEnvironmentFile ?? {}),
    ...(run === undefined ? [] : (SCRIPT_OUTPUTS[run] ?? [])),
  ];
}
