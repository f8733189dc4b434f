import { describe, expect, it } from 'vitest'
import { createRedactor, isSecretName, redactEnv } from '../../src/util/redact.js'

describe('redaction', () => {
  it.each([
    ['HF_TOKEN', true], ['MY_API_KEY', true], ['aws_secret_access_key', true], ['GitHub_Token', true], ['SSH_KEYFILE', true],
    ['PATH', false], ['CUDA_VISIBLE_DEVICES', false], ['NORM_ATTN', false],
  ])('%s is secret: %s', (name, want) => expect(isSecretName(name)).toBe(want))

  it('replaces secret env values by *** and keeps the rest', () => {
    expect(redactEnv({ HF_TOKEN: 'hf_abc', PATH: '/bin', MY_API_KEY: 'x', UNSET: undefined })).toEqual({ HF_TOKEN: '***', PATH: '/bin', MY_API_KEY: '***' })
  })

  it('masks secret values in text, raw and JSON-escaped, longest first; short values are left alone', () => {
    const r = createRedactor({ HF_TOKEN: 'hf_abcdef', OTHER_TOKEN: 'hf_abcdef_long', QUOTE_KEY: 'a"b\\c1', SHORT_KEY: 'on', PATH: '/usr/bin' })
    expect(r('token=hf_abcdef_long and hf_abcdef, path /usr/bin, switch on')).toBe('token=*** and ***, path /usr/bin, switch on')
    expect(r(JSON.stringify({ m: 'x a"b\\c1 y' }))).toBe('{"m":"x *** y"}')
  })
})
