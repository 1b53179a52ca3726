/** The login form. */
import { translator, type Lang } from '../i18n.js'
import { Layout } from './layout.js'

export function LoginPage (props: { lang: Lang, next: string, error?: string | undefined, login?: string | undefined }) {
  const t = translator(props.lang)
  return (
    <Layout lang={props.lang} title={t('login')} path='/login'>
      <div class='card'>
        <h1>{t('loginTitle')}</h1>
        {props.error !== undefined && <p class='error' role='alert' id='login-error'>{props.error}</p>}
        <form method='post' action='/login'>
          <input type='hidden' name='next' value={props.next} />
          <label for='login'>{t('loginName')}</label>
          <input type='text' id='login' name='login' autocomplete='username' required value={props.login ?? ''} aria-describedby={props.error !== undefined ? 'login-error' : undefined} />
          <label for='password'>{t('password')}</label>
          <input type='password' id='password' name='password' autocomplete='current-password' required />
          <button class='primary' type='submit'>{t('login')}</button>
        </form>
      </div>
    </Layout>
  )
}
