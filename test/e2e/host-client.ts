/** A reply of the host's API as the test sees it. */
export interface HostReply {
	status: number;
	headers: Headers;
	body: any;
}

/** Calls `POST /api/<endpoint>` with a JSON body, as Misskey clients do; `token` goes in `Authorization: Bearer`. */
export async function callHost(origin: string, endpoint: string, params: Record<string, unknown> = {}, token?: string): Promise<HostReply> {
	const response = await fetch(`${origin}/api/${endpoint}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
		body: JSON.stringify(params),
	});
	const text = await response.text();
	return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** A signed-up account: its id, username and native token. */
export interface Account {
	id: string;
	username: string;
	token: string;
	isAdmin: boolean;
}

/** Signs up through the host's `signup` endpoint. */
export async function signUp(origin: string, username: string): Promise<Account> {
	const reply = await callHost(origin, 'signup', { username, password: `${username}-password` });
	if (reply.status !== 200) throw new Error(`signup ${username} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
	return { id: reply.body.id, username: reply.body.username, token: reply.body.token, isAdmin: reply.body.isAdmin };
}

/** Calls an endpoint that must succeed and returns its body. */
export async function expectOk(origin: string, endpoint: string, params: Record<string, unknown>, token: string): Promise<any> {
	const reply = await callHost(origin, endpoint, params, token);
	if (reply.status !== 200 && reply.status !== 204) throw new Error(`${endpoint} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
	return reply.body;
}
