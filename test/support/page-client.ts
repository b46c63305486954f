/**
 * A browser without JavaScript, for the pages: keeps the cookies it is given,
 * follows no redirects (tests look at each 303), and posts forms as a browser
 * does, urlencoded with the page's Origin.
 */
export class PageClient {
  private readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  /** Signs in with a token a test already holds (local only: GET /_local/login). */
  static async signedIn(baseUrl: string, token: string): Promise<PageClient> {
    const client = new PageClient(baseUrl);
    const res = await client.get(`/_local/login?token=${encodeURIComponent(token)}`);
    if (res.status !== 303) throw new Error(`/_local/login: ${res.status} ${await res.text()}`);
    return client;
  }

  /** The value of the CSRF cookie, which every form echoes in `_csrf`. */
  get csrf(): string {
    const value = this.cookies.get('dp_csrf');
    if (!value) throw new Error('no dp_csrf cookie yet');
    return value;
  }

  async get(path: string): Promise<Response> {
    return this.keep(await fetch(this.baseUrl + path, { redirect: 'manual', headers: this.headers() }));
  }

  /** Submits a form; the CSRF token goes along unless `csrf: false`. */
  async post(path: string, fields: Record<string, string>, options: { csrf?: boolean } = {}): Promise<Response> {
    const body = new URLSearchParams({ ...fields, ...(options.csrf === false ? {} : { _csrf: this.csrf }) });
    return this.keep(await fetch(this.baseUrl + path, { method: 'POST', redirect: 'manual', body, headers: { ...this.headers(), 'content-type': 'application/x-www-form-urlencoded', origin: this.baseUrl } }));
  }

  /** A page's status and HTML. */
  async page(path: string): Promise<{ status: number; html: string }> {
    const res = await this.get(path);
    return { status: res.status, html: await res.text() };
  }

  private headers(): Record<string, string> {
    return this.cookies.size > 0 ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {};
  }

  private keep(res: Response): Response {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
}
