// Which files a publish sends (STYLE.md §3: the plan is data; publish.ts executes it). A local file is unchanged when
// the Hub already has the same content at that path and revision: for an LFS file its `lfs.oid` is the content's
// sha256, for a file kept in git its `oid` is the git blob sha1 (the Hub's tree API, @huggingface/hub list-files.ts
// ListFileEntry). Files on the Hub that the corpus does not have are left alone (a publish never deletes).

/** A file of the corpus to publish. */
export interface LocalFile {
  /** Path in the repo = path relative to the corpus root, POSIX separators. */
  path: string
  bytes: number
  sha256: string
  gitOid: string
}

/** What the Hub (or the last publish record) has at a path. */
export interface RemoteFile {
  path: string
  size: number
  /** git blob sha1 */
  oid?: string
  /** sha256 when the file is in LFS */
  lfsOid?: string
}

/** A file and what publishing does with it. */
export interface PlannedFile extends LocalFile {
  status: 'new' | 'changed' | 'unchanged'
}

/** The plan: every local file with its status, and the totals. */
export interface PublishPlan {
  files: PlannedFile[]
  upload: PlannedFile[]
  uploadBytes: number
  unchanged: number
}

/** True when the remote entry holds exactly this content. */
function sameContent(local: LocalFile, remote: RemoteFile): boolean {
  if (remote.size !== local.bytes) return false
  if (remote.lfsOid !== undefined) return remote.lfsOid === local.sha256
  return remote.oid === local.gitOid
}

/** Compares the local files with what is there (null: nothing known, every file is new). */
export function planPublish(local: readonly LocalFile[], remote: ReadonlyMap<string, RemoteFile> | null): PublishPlan {
  const files = local.map((f): PlannedFile => {
    const r = remote?.get(f.path)
    return { ...f, status: !r ? 'new' : sameContent(f, r) ? 'unchanged' : 'changed' }
  })
  const upload = files.filter((f) => f.status !== 'unchanged')
  return { files, upload, uploadBytes: upload.reduce((a, f) => a + f.bytes, 0), unchanged: files.length - upload.length }
}
