import { describe, expect, it } from 'vitest'
import { parseBridgeLine } from '../../src/bridge/protocol.js'

describe('bridge protocol', () => {
  it.each([
    ['hello', '{"v":1,"type":"hello","bridge":"0.1.0","python":"3.11.7","torch":"2.13.0+cpu","cuda":false}'],
    ['progress', '{"v":1,"type":"progress","step":10,"total":200}'],
    ['metric', '{"v":1,"type":"metric","step":10,"name":"loss","value":2.31}'],
    ['artifact', '{"v":1,"type":"artifact","path":"checkpoint-30","kind":"checkpoint"}'],
    ['log', '{"v":1,"type":"log","level":"info","message":"hi"}'],
    ['heartbeat', '{"v":1,"type":"heartbeat","t":1764150000}'],
    ['done', '{"v":1,"type":"done","status":"finished"}'],
    ['error', '{"v":1,"type":"error","message":"boom","traceback":"Traceback..."}'],
  ])('parses a %s event', (type, line) => {
    expect(parseBridgeLine(line, 1).type).toBe(type)
  })

  it('accepts null metric values (the bridge writes non-finite floats as null)', () => {
    expect(parseBridgeLine('{"v":1,"type":"metric","step":3,"name":"loss","value":null}', 1)).toMatchObject({ value: null })
  })

  it('keeps extra keys (hello from the env command carries gpus)', () => {
    const e = parseBridgeLine('{"v":1,"type":"hello","bridge":"0.1.0","python":"3.11","torch":null,"cuda":false,"gpus":[{"name":"H200"}]}', 1)
    expect(e).toMatchObject({ gpus: [{ name: 'H200' }] })
  })

  it.each([
    ['Loading checkpoint shards: 100%', 7, 'bridge stdout: line 7: not JSON: "Loading checkpoint shards: 100%" (stdout carries only protocol events, one JSON object per line; print logs to stderr)'],
    ['[1,2]', 2, 'bridge stdout: line 2: expected a JSON object, got "[1,2]"'],
    ['{"type":"done","status":"finished"}', 3, 'bridge stdout: line 3: expected "v": 1, got null in "{\\"type\\":\\"done\\",\\"status\\":\\"finished\\"}"'],
    ['{"v":1,"type":"metrics","step":1}', 4, 'bridge stdout: line 4: unknown event type "metrics" (expected one of hello, progress, metric, artifact, log, heartbeat, done, error)'],
    ['{"v":1,"type":"metric","step":1,"name":"loss","value":"2.3"}', 5, 'bridge stdout: line 5: bad "metric" event: value: Invalid input: expected number, received string'],
  ])('rejects %j with a message quoting the line', (line, no, want) => {
    expect(() => parseBridgeLine(line, no)).toThrow(want)
  })
})
