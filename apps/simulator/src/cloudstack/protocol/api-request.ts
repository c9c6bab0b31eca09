/** One received API call: parameters exactly as sent, plus case-insensitive lookup for dispatch. */
export class ApiRequest {
  private readonly lowered = new Map<string, string>();

  constructor(
    readonly method: string,
    /** Query string plus form body, names with their original case; first value wins on repeats. */
    readonly params: Readonly<Record<string, string>>,
  ) {
    for (const [name, value] of Object.entries(params)) {
      if (!this.lowered.has(name.toLowerCase())) this.lowered.set(name.toLowerCase(), value);
    }
  }

  /** Builds the parameter map from a raw query string and an optional urlencoded body. */
  static fromRaw(method: string, query: string, formBody?: string): ApiRequest {
    const params: Record<string, string> = {};
    for (const source of [query, formBody ?? '']) {
      for (const [name, value] of new URLSearchParams(source)) {
        if (!(name in params)) params[name] = value;
      }
    }
    return new ApiRequest(method, params);
  }

  /** A parameter by name, matched case-insensitively as CloudStack's dispatcher does. */
  get(name: string): string | undefined {
    return this.lowered.get(name.toLowerCase());
  }

  has(name: string): boolean {
    return this.lowered.has(name.toLowerCase());
  }

  get command(): string | undefined {
    return this.get('command');
  }

  /** CloudStack answers XML unless `response=json`. */
  get format(): 'json' | 'xml' {
    return this.get('response')?.toLowerCase() === 'json' ? 'json' : 'xml';
  }

  /** Parameters minus `signature`, for recording; `password` values are masked. */
  recordableParams(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.params)) {
      const lower = name.toLowerCase();
      if (lower === 'signature') continue;
      out[name] = lower === 'password' ? '******' : value;
    }
    return out;
  }
}
