// Paths read from input files (file_name, image) must stay inside their root: no absolute paths, no `..` escapes,
// no NUL bytes. The error names the file and JSON path that carried the bad value.
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { PixcapError, type JsonPath } from '../../errors.js'

const PLAIN_RELATIVE = /^[\w-][\w.-]*(?:\/[\w-][\w.-]*)*$/

/** Normalises a relative path from an input file and checks it stays under its root; returns the normalised relative path. */
export function checkRelativePath(value: string, where: { file: string; path: JsonPath }): string {
  // The common case, checked cheaply (it is called for every image and annotation): plain names joined by single
  // '/', no segment starting with '.', so nothing to normalise and nothing that can escape; the result is the value.
  if (PLAIN_RELATIVE.test(value)) return value
  const fail = (why: string): never => {
    throw new PixcapError('path_escape', where.file, where.path, `${JSON.stringify(value)} ${why}`)
  }
  if (value.length === 0) fail('is empty; expected a file name relative to its root')
  if (value.includes('\0')) fail('contains a NUL byte')
  if (isAbsolute(value) || /^[A-Za-z]:[\\/]/.test(value)) fail('is absolute; expected a path relative to its root')
  const root = resolve('/__pixcap_root__')
  const abs = resolve(root, value)
  const rel = relative(root, abs)
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) fail('escapes its root directory')
  return rel.split(sep).join('/')
}

/** Resolves a relative input path under `root`, refusing escapes (see checkRelativePath). */
export function resolveInside(root: string, value: string, where: { file: string; path: JsonPath }): string {
  return resolve(root, checkRelativePath(value, where))
}
