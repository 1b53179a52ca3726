/** Entering a document once: choose its type, fill the form its schema makes, sign and save; or a corrected version of one. */
import type { AccountView } from '../../../node/accounts/account-service.js'
import type { JsonSchema } from '../../../record/types/definition.js'
import { translator, type Lang } from '../i18n.js'
import { SchemaFields, type FormState } from '../schema-form.js'
import { Layout } from './layout.js'
import { UploadForm } from './upload-form.js'

export interface NewDocumentProps {
  readonly lang: Lang
  readonly account: AccountView
  readonly csrf: string
  /** The types this node may issue, with their titles in the reader's language. */
  readonly types: ReadonlyArray<{ readonly type: string, readonly title: string }>
  readonly consignment?: string | undefined
  readonly supersedes?: string | undefined
  /** The chosen type, with its schema and the form's state; absent while none is chosen. */
  readonly form?: { readonly type: string, readonly title: string, readonly schema: JsonSchema, readonly state: FormState } | undefined
  /** Why an uploaded file was not taken. */
  readonly uploadError?: string | undefined
}

export function NewDocumentPage (props: NewDocumentProps) {
  const t = translator(props.lang)
  const query = (type: string): string => `/documents/new?type=${encodeURIComponent(type)}${props.consignment !== undefined ? `&consignment=${encodeURIComponent(props.consignment)}` : ''}`
  const general = props.form?.state.errors.get('')
  return (
    <Layout lang={props.lang} title={props.form?.title ?? t('newDocument')} path='/documents/new' account={props.account} csrf={props.csrf}>
      {props.consignment !== undefined && <p class='noprint'><a href={`/consignments/${encodeURIComponent(props.consignment)}`}>← {t('consignment')} {props.consignment}</a></p>}
      <h1>{props.form === undefined ? t('newDocument') : props.form.title}</h1>
      <p class='muted'>{t('consignment')}: <span class='mono'>{props.consignment ?? t('newConsignment')}</span></p>
      {props.form === undefined
        ? (
          <nav aria-label={t('chooseType')}>
            <h2>{t('chooseType')}</h2>
            <ul>{props.types.map(({ type, title }) => <li><a href={query(type)}>{title}</a></li>)}</ul>
          </nav>
          )
        : (
          <form method='post' action='/documents/new' class='document-form' novalidate>
            {props.form.state.errors.size > 0 && <p class='error' role='alert' id='form-errors'>{t('fixErrors')}{general !== undefined && ` ${general}`}</p>}
            <input type='hidden' name='_csrf' value={props.csrf} />
            <input type='hidden' name='type' value={props.form.type} />
            {props.consignment !== undefined && <input type='hidden' name='consignment' value={props.consignment} />}
            {props.supersedes !== undefined && <input type='hidden' name='supersedes' value={props.supersedes} />}
            <SchemaFields schema={props.form.schema} state={props.form.state} t={t} lang={props.lang} />
            <button class='primary' type='submit' name='_save' value='1'>{t('save')}</button>
          </form>
          )}
      <UploadForm lang={props.lang} csrf={props.csrf} type={props.form?.type} consignment={props.consignment} supersedes={props.supersedes} error={props.uploadError} />
    </Layout>
  )
}
