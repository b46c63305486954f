/** A small client for driving the local system over HTTP, as an outside user would. */
export interface ApiResponse<T = any> {
  status: number;
  body: T;
  contentType: string;
}

export interface TokenRequest {
  role: 'subject' | 'agency-officer' | 'agency-reviewer' | 'provincial-reviewer' | 'partner' | 'auditor';
  subjectId?: string;
  agencyId?: string;
  provinceCode?: string;
  name?: string;
}

export class ApiClient {
  constructor(readonly baseUrl: string) {}

  /** `body` is sent as JSON; `raw` as it is, with the content type in `headers`. */
  async call<T = any>(method: string, path: string, options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse<T>> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: options.raw ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, contentType: res.headers.get('content-type') ?? '' };
  }

  async token(request: TokenRequest): Promise<string> {
    const res = await this.call<{ token: string }>('POST', '/_local/token', { body: request });
    if (res.status !== 201 && res.status !== 200) throw new Error(`token: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.token;
  }

  /** Moves the virtual clock; everything due runs before it returns. */
  async advanceTo(to: string): Promise<string> {
    const res = await this.call<{ now: string }>('POST', '/_local/clock/advance', { body: { to } });
    if (res.status !== 200) throw new Error(`advance: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.now;
  }

  async outbox(to: string): Promise<Array<{ channel: 'email' | 'sms'; to: string; subject?: string; text: string; sentAt: string; entryId?: string; caseId?: string }>> {
    return (await this.call('GET', `/_local/outbox?to=${encodeURIComponent(to)}`)).body.messages;
  }
}
