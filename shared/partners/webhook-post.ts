import type { LookupAddress, LookupOptions } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { asError } from '../platform/errors.js';
import { checkWebhookUrlSyntax, refusalOf, type WebhookTargetPolicy } from './webhook-target.js';

/** A partner's endpoint the policy refused when connecting: no connection was made. */
export class WebhookTargetRefused extends Error {
  override readonly name = 'WebhookTargetRefused';
}

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

/**
 * The connection's DNS look-up: resolves the host, refuses it if any address
 * is forbidden, and hands the socket exactly the addresses it checked, so a
 * name that resolves elsewhere after the subscription (DNS rebinding) is
 * caught at the connection itself. Host header and TLS server name stay the URL's.
 */
function checkedLookup(url: URL, policy: WebhookTargetPolicy): LookupFunction {
  return (hostname: string, options: LookupOptions, callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
    policy.resolve(hostname).then(
      (resolved) => {
        const addresses = resolved.map((a) => ({ address: a.address, family: a.family ?? isIP(a.address) }));
        const why = refusalOf(url, addresses.map((a) => a.address), policy);
        if (why) return callback(new WebhookTargetRefused(why), '');
        const usable = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        if (options.all) return callback(null, usable);
        if (usable.length === 0) return callback(new WebhookTargetRefused(`${hostname} has no IPv${options.family} address`), '');
        callback(null, usable[0]!.address, usable[0]!.family);
      },
      (error: unknown) => callback(asError(error), ''),
    );
  };
}

/**
 * POSTs to a partner's endpoint (OWASP API7, SSRF): the URL is checked again as
 * at subscription, and the connection goes only to an address checked at
 * connect time. A fresh connection each time (no pooled socket from an earlier
 * look-up); redirects are not followed. Resolves with the partner's status;
 * rejects with `WebhookTargetRefused`, or the network error.
 */
export function postWebhook(request: WebhookRequest, policy: WebhookTargetPolicy): Promise<{ status: number }> {
  const syntax = checkWebhookUrlSyntax(request.url, policy);
  if (!syntax.ok) return Promise.reject(new WebhookTargetRefused(syntax.error.message));
  const url = syntax.url;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
        agent: false,
        lookup: checkedLookup(url, policy),
        signal: AbortSignal.timeout(request.timeoutMs),
      },
      (res) => {
        resolve({ status: res.statusCode ?? 0 });
        // Only the status matters: the body is not read.
        res.destroy();
      },
    );
    req.on('error', reject);
    req.end(request.body);
  });
}
