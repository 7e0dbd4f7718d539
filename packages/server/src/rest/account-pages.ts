/**
 * The pages a person reaches from a mail link (no SDK, no application-id header): choose a new password,
 * confirm an email address. Plain HTML with no external assets; the form posts JSON back to the same path.
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../service/services.js';

const page = (title: string, body: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title>` +
  `<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem;color:#1f2937}input,button{font:inherit;padding:.5rem;width:100%;box-sizing:border-box;margin:.25rem 0}button{background:#2563eb;color:#fff;border:0;border-radius:.375rem}</style>` +
  `</head><body><h1>${title}</h1>${body}</body></html>`;

const RESET_FORM = `<form id="f"><label for="p">New password</label><input id="p" type="password" autocomplete="new-password" required>
<button>Save password</button></form><p id="m" role="status"></p>
<script>document.getElementById('f').addEventListener('submit',async e=>{e.preventDefault();
const token=new URLSearchParams(location.search).get('token');
const r=await fetch(location.pathname,{method:'POST',headers:{'Content-Type':'application/json'},body:JSON.stringify({token,new_password:document.getElementById('p').value})});
const j=await r.json();document.getElementById('m').textContent=r.ok?'Your password was changed. You can sign in now.':(j.error||'Something went wrong.');});</script>`;

export function registerAccountPages(app: FastifyInstance, services: Services): void {
  const base = `${services.config.mountPath}/apps/:appId`;
  const wrongApp = (appId: string) => appId !== services.config.appId;

  app.get(`${base}/request_password_reset`, async (request, reply) => {
    if (wrongApp((request.params as { appId: string }).appId))
      return reply.code(404).type('text/html').send(page('Not found', ''));
    return reply.type('text/html').send(page('Choose a new password', RESET_FORM));
  });

  app.post(`${base}/request_password_reset`, async (request, reply) => {
    if (wrongApp((request.params as { appId: string }).appId)) return reply.code(404).send({ error: 'Not found' });
    const body = (request.body ?? {}) as { token?: unknown; new_password?: unknown };
    await services.accounts.resetPassword(body.token, body.new_password);
    return {};
  });

  app.get(`${base}/verify_email`, async (request, reply) => {
    if (wrongApp((request.params as { appId: string }).appId))
      return reply.code(404).type('text/html').send(page('Not found', ''));
    const ok = await services.accounts.verifyEmail((request.query as { token?: unknown }).token);
    reply.code(ok ? 200 : 400).type('text/html');
    return page(
      ok ? 'Email verified' : 'Invalid link',
      ok ? '<p>Thank you, your email address is confirmed.</p>' : '<p>This link is invalid or was already used.</p>',
    );
  });
}
