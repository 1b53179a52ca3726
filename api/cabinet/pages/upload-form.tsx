/** Entering a document from a file rather than by hand: its fields as JSON, or a record signed elsewhere (CBOR). */
import { translator, type Lang } from '../i18n.js'

export interface UploadFormProps {
  readonly lang: Lang
  readonly csrf: string
  /** The type the JSON file's fields are for; absent on the page that chooses a type, where only signed records are taken. */
  readonly type?: string | undefined
  readonly consignment?: string | undefined
  readonly supersedes?: string | undefined
  readonly error?: string | undefined
}

export function UploadForm (props: UploadFormProps) {
  const t = translator(props.lang)
  const signedOnly = props.type === undefined
  return (
    <section aria-labelledby='upload' class='noprint upload'>
      <h2 id='upload'>{signedOnly ? t('importTitle') : t('uploadTitle')}</h2>
      {props.error !== undefined && <p class='error' role='alert' id='upload-error'>{props.error}</p>}
      <form method='post' action='/documents/upload' enctype='multipart/form-data'>
        <input type='hidden' name='_csrf' value={props.csrf} />
        {props.type !== undefined && <input type='hidden' name='type' value={props.type} />}
        {props.consignment !== undefined && <input type='hidden' name='consignment' value={props.consignment} />}
        {props.supersedes !== undefined && <input type='hidden' name='supersedes' value={props.supersedes} />}
        <label for='file'>{t('uploadFile')}</label>
        <p class='hint' id='file-hint'>{signedOnly ? t('importHint') : t('uploadHint')}</p>
        <input
          type='file' id='file' name='file' required aria-describedby={props.error !== undefined ? 'file-hint upload-error' : 'file-hint'}
          accept={signedOnly ? '.cbor,application/cbor' : '.json,.cbor,application/json,application/cbor'}
        />
        <button class='primary' type='submit'>{t('upload')}</button>
      </form>
    </section>
  )
}
