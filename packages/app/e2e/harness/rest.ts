/** The API seen with the master key: seeding data and checking what really reached the server. */
export class Rest {
  constructor(
    private readonly apiURL: string,
    private readonly masterKey: string,
  ) {}

  async request<T = any>(method: string, path: string, body?: unknown, sessionToken?: string): Promise<T> {
    const headers: Record<string, string> = { 'X-Parse-Application-Id': 'crm', 'Content-Type': 'application/json' };
    if (sessionToken) headers['X-Parse-Session-Token'] = sessionToken;
    else headers['X-Parse-Master-Key'] = this.masterKey;
    const response = await fetch(`${this.apiURL}/${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json as T;
  }

  async find<T = any>(className: string, where: object = {}, extra = ''): Promise<T[]> {
    const path =
      className === '_User'
        ? 'users'
        : className === '_Role'
          ? 'roles'
          : className === '_Session'
            ? 'sessions'
            : `classes/${className}`;
    const { results } = await this.request<{ results: T[] }>(
      'GET',
      `${path}?where=${encodeURIComponent(JSON.stringify(where))}${extra}`,
    );
    return results;
  }

  async signUp(username: string, password: string): Promise<{ objectId: string; sessionToken: string }> {
    const response = await fetch(`${this.apiURL}/users`, {
      method: 'POST',
      headers: { 'X-Parse-Application-Id': 'crm', 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password, email: `${username}@example.com` }),
    });
    const json = await response.json();
    if (!response.ok) throw new Error(`sign-up ${username}: ${JSON.stringify(json)}`);
    return json;
  }

  async addToRole(role: string, userId: string): Promise<void> {
    const [found] = await this.find<{ objectId: string }>('_Role', { name: role });
    if (!found) throw new Error(`no role ${role}`);
    await this.request('PUT', `roles/${found.objectId}`, {
      users: { __op: 'AddRelation', objects: [{ __type: 'Pointer', className: '_User', objectId: userId }] },
    });
  }

  async revokeSessions(userId: string): Promise<void> {
    const sessions = await this.find<{ objectId: string }>('_Session', {
      user: { __type: 'Pointer', className: '_User', objectId: userId },
    });
    for (const session of sessions) await this.request('DELETE', `sessions/${session.objectId}`);
  }

  /** Creates many objects through /batch, a few batches in flight. */
  async createMany(className: string, objects: object[], batchSize = 50, inFlight = 4): Promise<string[]> {
    const batches: object[][] = [];
    for (let i = 0; i < objects.length; i += batchSize) batches.push(objects.slice(i, i + batchSize));
    const ids: string[] = [];
    for (let i = 0; i < batches.length; i += inFlight) {
      const answers = await Promise.all(
        batches.slice(i, i + inFlight).map((batch) =>
          this.request<{ success?: { objectId: string }; error?: unknown }[]>('POST', 'batch', {
            requests: batch.map((body) => ({ method: 'POST', path: `/parse/classes/${className}`, body })),
          }),
        ),
      );
      for (const answer of answers.flat()) {
        if (!answer.success) throw new Error(`batch create ${className}: ${JSON.stringify(answer.error)}`);
        ids.push(answer.success.objectId);
      }
    }
    return ids;
  }
}

export const pointerTo = (className: string, objectId: string) => ({ __type: 'Pointer', className, objectId });
