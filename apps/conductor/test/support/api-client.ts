import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { faultOf } from './test-conductor.js';

/** A tiny client over `fastify.inject`, speaking a given microversion (1.82 unless told). */
export interface ApiClient {
  get(url: string, version?: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown, version?: string): Promise<LightMyRequestResponse>;
  put(url: string, body?: unknown, version?: string): Promise<LightMyRequestResponse>;
  patch(url: string, body: unknown, version?: string): Promise<LightMyRequestResponse>;
  delete(url: string, version?: string): Promise<LightMyRequestResponse>;
}

/** A client of `api` at a microversion. */
export function apiClient(api: () => FastifyInstance, defaultVersion = '1.82'): ApiClient {
  const send = (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body: unknown,
    version?: string,
  ) =>
    api().inject({
      method,
      url,
      headers: {
        'x-openstack-ironic-api-version': version ?? defaultVersion,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
  return {
    get: (url, version) => send('GET', url, undefined, version),
    post: (url, body, version) => send('POST', url, body, version),
    put: (url, body, version) => send('PUT', url, body, version),
    patch: (url, body, version) => send('PATCH', url, body, version),
    delete: (url, version) => send('DELETE', url, undefined, version),
  };
}

/** The faultstring of an Ironic error response. */
export function faultstring(response: LightMyRequestResponse): string {
  return faultOf(response.body).faultstring;
}
