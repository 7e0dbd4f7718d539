import autocannon from 'autocannon';
import fs from 'node:fs';
const { token, ids } = JSON.parse(fs.readFileSync('/tmp/prof/state.json', 'utf8'));
const port = process.argv[2]; const kind = process.argv[3] ?? 'get'; const dur = Number(process.argv[4] ?? 10);
let i = 0;
const headers = { 'X-Parse-Application-Id': 'crm', 'X-Parse-Session-Token': token, 'Content-Type': 'application/json' };
const r = await autocannon({
  url: `http://127.0.0.1:${port}`, connections: 32, duration: dur, headers,
  requests: [{
    setupRequest: (req) => {
      const id = ids[i++ % ids.length];
      if (kind === 'get') return { ...req, method: 'GET', path: `/parse/classes/Deal/${id}` };
      if (kind === 'put') return { ...req, method: 'PUT', path: `/parse/classes/Deal/${id}`, body: JSON.stringify({ amount: i }) };
      return { ...req, method: 'POST', path: `/parse/classes/Deal`, body: JSON.stringify({ title: 'x', amount: 1, stage: 'lead' }) };
    },
  }],
});
console.log(kind, Math.round(r.requests.average), 'req/s p50', r.latency.p50, 'non2xx', r.non2xx);
