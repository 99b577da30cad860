import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classifyFailure, parseVegetaResult, podFromBody, wallClockToOffset, wallMsOf } from './sample.ts';

// Error texts recorded from vegeta v12.13.0 against local servers that refuse, hang, close, reset.
const RECORDED: ReadonlyArray<[number, string, string | undefined]> = [
  [0, 'Get "http://127.0.0.1:1/": dial tcp 0.0.0.0:0->127.0.0.1:1: connect: connection refused', 'connection refused'],
  [0, 'Get "http://127.0.0.1:18101/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)', 'timeout'],
  [0, 'Get "http://127.0.0.1:18101/": net/http: request canceled (Client.Timeout or context cancellation while reading body)', 'timeout'],
  [0, 'Get "http://127.0.0.1:18102/": EOF', 'connection closed'],
  [0, 'Get "http://127.0.0.1:18103/": dial tcp 0.0.0.0:0->127.0.0.1:18103: connect: connection reset by peer', 'connection reset'],
  [0, 'Get "http://127.0.0.1:18103/": read tcp 127.0.0.1:40000->127.0.0.1:18103: read: connection reset by peer', 'connection reset'],
  [0, 'Get "http://127.0.0.1:30080/": dial tcp 0.0.0.0:0->127.0.0.1:30080: connect: cannot assign requested address', 'local ports exhausted'],
  [0, 'Get "http://127.0.0.1:30080/": dial tcp 0.0.0.0:0->127.0.0.1:30080: socket: too many open files', 'too many open files'],
  [0, 'Get "http://127.0.0.1:30080/": dial tcp 0.0.0.0:0->10.0.0.9:80: connect: no route to host', 'no route to host'],
  [503, '503 Service Unavailable', 'HTTP 5xx'],
  [500, '500 Internal Server Error', 'HTTP 5xx'],
  [404, '404 Not Found', 'HTTP 4xx'],
  [0, 'something new', 'other'],
  [200, '', undefined],
  [302, '', undefined],
];

describe('classifyFailure', () => {
  for (const [code, error, kind] of RECORDED) {
    it(`${code} ${error || '(no error)'} → ${kind ?? 'success'}`, () => {
      assert.equal(classifyFailure(code, error), kind);
    });
  }
});

describe('wallMsOf', () => {
  it('keeps sub-millisecond digits that Date.parse drops', () => {
    assert.equal(wallMsOf('2026-11-30T02:08:33.944647589Z'), Date.UTC(2026, 10, 30, 2, 8, 33, 944) + 0.647589);
    assert.equal(wallMsOf('2026-11-30T02:08:33.5Z'), Date.UTC(2026, 10, 30, 2, 8, 33, 500));
    assert.equal(wallMsOf('2026-11-30T02:08:33Z'), Date.UTC(2026, 10, 30, 2, 8, 33));
  });

  it('honours a zone offset', () => {
    assert.equal(wallMsOf('2026-11-30T03:08:33.000000250+01:00'), Date.UTC(2026, 10, 30, 2, 8, 33) + 0.00025);
  });
});

describe('podFromBody', () => {
  it('finds the demo app’s "pod" field in a pretty-printed body, even cut after it', () => {
    const body = '{\n  "component": "api",\n  "version": "1.0.0",\n  "pod": "api-7c9-abc",\n  "hostname": "api-7c9-a';
    assert.equal(podFromBody(Buffer.from(body).toString('base64')), 'api-7c9-abc');
  });

  it('returns undefined when there is no body or the field was cut off', () => {
    assert.equal(podFromBody(null), undefined);
    assert.equal(podFromBody(Buffer.from('{"component": "api", "po').toString('base64')), undefined);
  });
});

describe('parseVegetaResult', () => {
  const toOffset = (wallMs: number): number => wallMs - Date.UTC(2026, 10, 30, 2, 8, 30);

  it('turns a recorded vegeta JSON line into a sample at its timeline offset', () => {
    const line = '{"attack":"","seq":0,"code":200,"timestamp":"2026-11-30T02:08:33.944647589Z","latency":1284655,"bytes_out":0,"bytes_in":47,"error":"","body":"ewogICJjb21wb25lbnQiOiAiYmVuY2giLAogICJwb2QiOiAiYmVuY2gtMiIKfQo=","method":"GET","url":"http://127.0.0.1:18080/","headers":{"Content-Length":["47"]}}';
    const s = parseVegetaResult(line, toOffset);
    assert.ok(s);
    assert.ok(Math.abs(s.t - 3944.647589) < 1e-3, String(s.t)); // doubles near 1.8e12 ms resolve ~0.25 µs
    assert.equal(s.latencyMs, 1.284655);
    assert.equal(s.code, 200);
    assert.equal(s.pod, 'bench-2');
    assert.equal(s.failure, undefined);
  });

  it('keeps the failure kind and the error text of a failed request', () => {
    const line = '{"attack":"","seq":3,"code":0,"timestamp":"2026-11-30T02:08:36.063720504Z","latency":654190,"bytes_out":0,"bytes_in":0,"error":"Get \\"http://127.0.0.1:1/\\": dial tcp 0.0.0.0:0-\\u003e127.0.0.1:1: connect: connection refused","body":null,"method":"GET","url":"http://127.0.0.1:1/","headers":null}';
    const s = parseVegetaResult(line, toOffset);
    assert.equal(s?.failure, 'connection refused');
    assert.equal(s?.code, 0);
    assert.match(s?.error ?? '', /connect: connection refused$/);
  });

  it('reads fields straight from the line exactly as a full JSON parse would', () => {
    const lines = [
      '{"attack":"stage-1","seq":9,"code":503,"timestamp":"2026-11-30T02:08:33.5Z","latency":3876947,"bytes_out":0,"bytes_in":17,"error":"503 Service Unavailable","body":"eyJwb2QiOiAiYXBpLTEifQ==","method":"GET","url":"http://127.0.0.1:18104/","headers":{"Content-Length":["17"]}}',
      '{"attack":"stage-2","seq":3,"code":0,"timestamp":"2026-11-30T02:08:36.063720504Z","latency":654190,"bytes_out":0,"bytes_in":0,"error":"Get \\"http://127.0.0.1:1/\\": dial tcp 0.0.0.0:0-\\u003e127.0.0.1:1: connect: connection refused","body":null,"method":"GET","url":"http://127.0.0.1:1/","headers":null}',
    ];
    for (const line of lines) {
      // A space before "code" makes the line fail the fast path's fixed layout, forcing JSON.parse.
      const slow = parseVegetaResult(line.replace(',"code":', ', "code":'), toOffset);
      assert.ok(slow);
      assert.deepEqual(parseVegetaResult(line, toOffset), slow);
    }
    assert.equal(parseVegetaResult(lines[1]!, toOffset)?.error, 'Get "http://127.0.0.1:1/": dial tcp 0.0.0.0:0->127.0.0.1:1: connect: connection refused');
  });

  it('ignores lines that are not results', () => {
    for (const line of ['', 'not json', '{"code":200}', '[]', 'null']) assert.equal(parseVegetaResult(line, toOffset), undefined, line);
  });
});

describe('wallClockToOffset', () => {
  it('maps wall-clock ms onto the timeline offset at which it was created', () => {
    const toOffset = wallClockToOffset(() => 41_200, () => Date.UTC(2026, 10, 30, 2, 8, 30));
    assert.equal(toOffset(Date.UTC(2026, 10, 30, 2, 8, 31, 500)), 42_700);
  });
});
