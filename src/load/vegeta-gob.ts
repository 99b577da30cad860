/**
 * Reads `vegeta attack`'s own output — a stream of Go gob messages, one per result — directly, so no
 * `vegeta encode` process has to turn it into JSON first (that process cost about 28 µs of CPU per
 * request at 2000 req/s, and a second pid per stage). Written from the gob format as Go documents it
 * (encoding/gob, "Encoding Details"):
 *
 *   stream  = (uint(length) message)*;  message = int(-id) wireType  |  int(id) value
 *   uint    = one byte < 128, or the negated byte count then big-endian bytes; int = zig-zag in a uint
 *   struct  = (uint(field delta) field value)* 0;  string/[]byte = uint(n) n bytes;
 *   slice/array = uint(n) elements;  map = uint(n) (key, value) pairs;  GobEncoder = uint(n) n bytes
 *
 * Type definitions are read, so fields are found by name (Code, Timestamp, Latency, Error, Body) and a
 * message is abandoned as soon as they are read (Method, URL and Headers are never decoded).
 * time.Time travels as its MarshalBinary bytes: version, seconds since year 1 (int64 BE), nanoseconds
 * (int32 BE), zone offset.
 */
import { KubeproofError } from '../failure/failure.ts';

/** The fields of one vegeta result that a sample needs. */
export interface VegetaResult {
  code: number;
  /** Wall-clock ms (with sub-millisecond digits) at which the request was sent. */
  wallMs: number;
  latencyNs: number;
  error: string;
  /** The captured start of the body (a view into the message; use before the next push). */
  body: Buffer | undefined;
}

/** Output that is not a gob stream of vegeta results. */
export class GobDecodeError extends KubeproofError {
  override name = 'GobDecodeError';
  constructor(message: string) {
    super('error', message);
  }
}

type WireType =
  | { kind: 'struct'; name: string; fields: Array<{ name: string; id: number }> }
  | { kind: 'slice' | 'array'; elem: number }
  | { kind: 'map'; key: number; elem: number }
  | { kind: 'bytes' };

const WANTED = ['Code', 'Timestamp', 'Latency', 'Error', 'Body'] as const;
/** Seconds from 0001-01-01 to 1970-01-01 (Go's absolute-to-Unix offset). */
const UNIX_TO_INTERNAL = 62_135_596_800;

class Reader {
  pos: number;
  readonly buf: Buffer;
  readonly end: number;
  constructor(buf: Buffer, pos: number, end: number) { this.buf = buf; this.pos = pos; this.end = end; }

  uint(): number {
    if (this.pos >= this.end) throw new GobDecodeError('message ends inside a number');
    const b = this.buf[this.pos++]!;
    if (b < 128) return b;
    const n = 256 - b;
    if (n > 8 || this.pos + n > this.end) throw new GobDecodeError(`bad number length ${n}`);
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + this.buf[this.pos++]!;
    return v;
  }

  int(): number {
    const u = this.uint();
    const half = Math.floor(u / 2);
    return u % 2 ? -half - 1 : half;
  }

  bytes(): Buffer {
    const n = this.uint();
    if (this.pos + n > this.end) throw new GobDecodeError('message ends inside a byte string');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  string(): string { return this.bytes().toString('utf8'); }

  /** Calls `field(number)` for each field present; `field` must read (or skip) its value. */
  struct(field: (n: number) => void): void {
    let n = -1;
    for (let delta = this.uint(); delta !== 0; delta = this.uint()) {
      n += delta;
      field(n);
    }
  }
}

/** Reads a CommonType { Name string; Id int }, returning the name. */
function commonName(r: Reader): string {
  let name = '';
  r.struct((f) => { if (f === 0) name = r.string(); else r.int(); });
  return name;
}

/** Reads one wireType definition. */
function readWireType(r: Reader): WireType {
  let type: WireType | undefined;
  r.struct((f) => {
    switch (f) {
      case 0: { // ArrayT { CommonType; Elem; Len }
        let elem = 0;
        r.struct((g) => { if (g === 0) commonName(r); else if (g === 1) elem = r.int(); else r.int(); });
        type = { kind: 'array', elem };
        break;
      }
      case 1: { // SliceT { CommonType; Elem }
        let elem = 0;
        r.struct((g) => { if (g === 0) commonName(r); else elem = r.int(); });
        type = { kind: 'slice', elem };
        break;
      }
      case 2: { // StructT { CommonType; Field []fieldType{ Name; Id } }
        let name = '';
        const fields: Array<{ name: string; id: number }> = [];
        r.struct((g) => {
          if (g === 0) { name = commonName(r); return; }
          for (let i = r.uint(); i > 0; i--) {
            const fld = { name: '', id: 0 };
            r.struct((h) => { if (h === 0) fld.name = r.string(); else fld.id = r.int(); });
            fields.push(fld);
          }
        });
        type = { kind: 'struct', name, fields };
        break;
      }
      case 3: { // MapT { CommonType; Key; Elem }
        let key = 0;
        let elem = 0;
        r.struct((g) => { if (g === 0) commonName(r); else if (g === 1) key = r.int(); else elem = r.int(); });
        type = { kind: 'map', key, elem };
        break;
      }
      case 4: case 5: case 6: // GobEncoderT, BinaryMarshalerT, TextMarshalerT: the value travels as bytes
        r.struct(() => { commonName(r); });
        type = { kind: 'bytes' };
        break;
      default:
        throw new GobDecodeError(`unknown wireType field ${f}`);
    }
  });
  if (!type) throw new GobDecodeError('empty type definition');
  return type;
}

/** Time.MarshalBinary bytes → wall-clock ms. */
function timeMs(b: Buffer): number {
  if ((b[0] !== 1 && b[0] !== 2) || b.length < 15) throw new GobDecodeError('unexpected time encoding');
  const sec = b.readInt32BE(1) * 2 ** 32 + b.readUInt32BE(5) - UNIX_TO_INTERNAL;
  return sec * 1000 + b.readInt32BE(9) / 1e6;
}

/**
 * A streaming decoder: push() the attack's stdout chunks as they come; `onResult` is called once per
 * result, in stream order.
 * @throws GobDecodeError from push() when the stream is not what vegeta writes
 */
export function createVegetaGobDecoder(onResult: (r: VegetaResult) => void): { push(chunk: Buffer): void; readonly pendingBytes: number } {
  const types = new Map<number, WireType>();
  let pending: Buffer | undefined;

  const skip = (r: Reader, id: number): void => {
    if (id === 5 || id === 6) { r.bytes(); return; }
    if (id >= 1 && id <= 3) { r.uint(); return; }
    if (id === 4) { r.uint(); return; }
    if (id === 7) { r.uint(); r.uint(); return; }
    const t = types.get(id);
    if (!t) throw new GobDecodeError(`value of undefined type ${id}`);
    switch (t.kind) {
      case 'bytes': r.bytes(); return;
      case 'slice': case 'array': for (let n = r.uint(); n > 0; n--) skip(r, t.elem); return;
      case 'map': for (let n = r.uint(); n > 0; n--) { skip(r, t.key); skip(r, t.elem); } return;
      case 'struct': r.struct((f) => { const fld = t.fields[f]; if (!fld) throw new GobDecodeError(`field ${f} of ${t.name} undefined`); skip(r, fld.id); }); return;
    }
  };

  /** Field numbers of the wanted fields, per result type id. */
  const layouts = new Map<number, { index: Record<(typeof WANTED)[number], number>; last: number; types: number[] }>();
  const layoutOf = (id: number): { index: Record<(typeof WANTED)[number], number>; last: number; types: number[] } => {
    let layout = layouts.get(id);
    if (layout) return layout;
    const t = types.get(id);
    if (!t || t.kind !== 'struct') throw new GobDecodeError(`the stream's values are of type ${id}, not a struct`);
    const index = Object.fromEntries(WANTED.map((w) => [w, t.fields.findIndex((f) => f.name === w)])) as Record<(typeof WANTED)[number], number>;
    if (index.Code < 0 || index.Timestamp < 0 || index.Latency < 0) throw new GobDecodeError(`values of type ${t.name} are not vegeta results (no Code, Timestamp or Latency)`);
    layout = { index, last: Math.max(...Object.values(index)), types: t.fields.map((f) => f.id) };
    layouts.set(id, layout);
    return layout;
  };

  const message = (r: Reader): void => {
    const id = r.int();
    if (id < 0) { types.set(-id, readWireType(r)); return; }
    const { index, last, types: fieldTypes } = layoutOf(id);
    const res: VegetaResult = { code: 0, wallMs: Number.NaN, latencyNs: 0, error: '', body: undefined };
    let n = -1;
    for (let delta = r.uint(); delta !== 0; delta = r.uint()) {
      n += delta;
      if (n === index.Code) res.code = r.uint();
      else if (n === index.Timestamp) res.wallMs = timeMs(r.bytes());
      else if (n === index.Latency) res.latencyNs = r.int();
      else if (n === index.Error) res.error = r.string();
      else if (n === index.Body) res.body = r.bytes();
      else skip(r, fieldTypes[n] ?? -1);
      if (n >= last) break; // the rest (method, URL, headers) is not needed: the next message starts at r.end
    }
    if (Number.isNaN(res.wallMs)) throw new GobDecodeError('a result without a timestamp');
    onResult(res);
  };

  return {
    push(chunk) {
      const buf = pending ? Buffer.concat([pending, chunk]) : chunk;
      let pos = 0;
      while (pos < buf.length) {
        const b = buf[pos]!;
        const prefix = b < 128 ? 1 : 1 + (256 - b);
        if (pos + prefix > buf.length) break;
        const r = new Reader(buf, pos, buf.length);
        const length = r.uint();
        if (length > 16 * 1024 * 1024) throw new GobDecodeError(`a ${length}-byte message`);
        if (r.pos + length > buf.length) break;
        message(new Reader(buf, r.pos, r.pos + length));
        pos = r.pos + length;
      }
      pending = pos < buf.length ? Buffer.from(buf.subarray(pos)) : undefined;
    },
    get pendingBytes() { return pending?.length ?? 0; },
  };
}
