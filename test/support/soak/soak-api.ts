/** A failed call of the app's API, with the status and body it returned. */
export class ApiCallError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number | undefined,
    readonly body: string,
  ) {
    super(`${method} ${path} failed${status === undefined ? '' : ` with ${status}`}: ${body.slice(0, 500)}`);
    this.name = 'ApiCallError';
  }
}

/** A small client of the app's REST API over `fetch`, authenticated with a token. */
export class SoakApi {
  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  as(token: string): SoakApi {
    return new SoakApi(this.baseUrl, token);
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('POST', path, body === undefined ? undefined : JSON.stringify(body), 'application/json');
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PATCH', path, JSON.stringify(body), 'application/json');
  }

  /** Posts a multipart form with `fields` and one file under `file`. */
  upload<T>(path: string, fields: Record<string, string>, file: { name: string; content: Buffer; type: string }): Promise<T> {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('file', new Blob([new Uint8Array(file.content)], { type: file.type }), file.name);
    return this.call<T>('POST', path, form);
  }

  /** Reads every page of a list endpoint (`page_size` 300). */
  async list<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    const separator = path.includes('?') ? '&' : '?';
    for (let page = 1; ; page += 1) {
      const response = await this.fetch('GET', `${path}${separator}page_size=300&page=${page}`);
      const batch = (await response.json()) as T[];
      items.push(...batch);
      const total = Number(response.headers.get('x-result-count') ?? items.length);
      if (batch.length === 0 || items.length >= total) return items;
    }
  }

  /** Downloads a file from an absolute URL the API returned. */
  async download(url: string): Promise<Buffer> {
    const response = await this.fetch('GET', url.startsWith('http') ? new URL(url).pathname + new URL(url).search : url);
    return Buffer.from(await response.arrayBuffer());
  }

  private async call<T>(method: string, path: string, body?: string | FormData, contentType?: string): Promise<T> {
    const response = await this.fetch(method, path, body, contentType);
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  private async fetch(method: string, path: string, body?: string | FormData, contentType?: string): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.token) headers.Authorization = `Token ${this.token}`;
    if (contentType) headers['Content-Type'] = contentType;
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    } catch (error) {
      throw new ApiCallError(method, path, undefined, error instanceof Error ? `${error.message} ${String((error as { cause?: unknown }).cause ?? '')}` : String(error));
    }
    if (!response.ok) throw new ApiCallError(method, path, response.status, await response.text());
    return response;
  }
}
