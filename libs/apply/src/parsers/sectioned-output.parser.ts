/** Splits `@@hostnet:<name>` delimited script output into named sections (later duplicates win). */
export function parseSections(output: string): Map<string, string> {
  const sections = new Map<string, string>();
  let name: string | undefined;
  let body: string[] = [];
  const flush = (): void => {
    if (name !== undefined) sections.set(name, body.join('\n').trim());
  };
  for (const line of output.split('\n')) {
    if (line.startsWith('@@hostnet:')) {
      flush();
      name = line.slice('@@hostnet:'.length);
      body = [];
    } else {
      body.push(line);
    }
  }
  flush();
  return sections;
}

/** Parses a JSON section, naming the section when the host printed something else. */
export function parseJsonSection<T>(sections: Map<string, string>, name: string, fallback: T): T {
  const text = sections.get(name);
  if (text === undefined || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`host output section "${name}" is not valid JSON (first 80 chars: ${JSON.stringify(text.slice(0, 80))})`);
  }
}
