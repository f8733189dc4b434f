import { describe, expect, it } from 'vitest'
import { OptionError } from '../../src/errors.js'
import { flagOf, withFlags } from '../../src/cli/option-flags.js'
import { convertDataset } from '../../src/convert/convert-dataset.js'
import { main } from '../../src/cli/main.js'
import { captureIo } from '../helpers/io.js'

describe('library errors name options; the CLI shows flags', () => {
  it('an OptionError says option names; withFlags says the flags a user typed', () => {
    const err = new OptionError('{shard.index}/{shard.count} split row formats only; {outDir} and {panopticDir} too')
    expect(err.message).toBe('shard.index/shard.count split row formats only; outDir and panopticDir too')
    expect(err.options).toEqual(['shard.index', 'shard.count', 'outDir', 'panopticDir'])
    expect(withFlags(err)).toBe('--shard-index/--num-shards split row formats only; --out and --panoptic-dir too')
    expect(flagOf('maxCaptionChars')).toBe('--max-caption-chars')
  })

  it('the same check reads as options from the library and as flags from the CLI', async () => {
    await expect(convertDataset({ annotations: 'sample/pix2cap_sample_train.json', to: 'gpt4roi', outDir: '/nonexistent/out', maxRegions: 0 })).rejects.toThrow(
      'maxRegions must be a positive integer, got 0',
    )
    const io = captureIo()
    expect(await main(['convert', 'sample/pix2cap_sample_train.json', '--to', 'gpt4roi', '--out', '/nonexistent/out', '--max-regions', '0', '--json'], io)).toBe(2)
    expect(JSON.parse(io.out()).error.message).toBe('--max-regions must be a positive integer, got 0')
  })
})
