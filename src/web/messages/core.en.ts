import type { CoreKey } from './core.de';

/** English catalogue; the type forces a text for every German key. */
export const en: Record<CoreKey, string> = {
  'site.city': 'City of Hannover',
  'site.service': 'Social Media Register',
  'site.homeLink': 'Social Media Register, home page',
  'nav.skip': 'Skip to content',
  'nav.main': 'Main navigation',
  'nav.overview': 'Overview',
  'nav.verify': 'Verify an account',
  'nav.internal': 'Staff area',
  'nav.admin': 'Administration',
  'nav.signIn': 'Sign in',
  'nav.signOut': 'Sign out',
  'nav.language': 'Language',
  'nav.switchLanguage': 'Deutsch',
  'nav.switchLanguageLabel': 'Diese Seite auf Deutsch',
  'nav.signedInAs': 'Signed in as {name}',
  'footer.legal': 'Legal',
  'footer.imprint': 'Imprint',
  'footer.privacy': 'Privacy notice',
  'footer.accessibility': 'Accessibility statement',
  'footer.operator': 'A service of the {name}',
  'demo.banner':
    'Demo directory active: sign-in uses built-in test accounts (password "demo"). Not for production use.',

  'home.title': 'Social media of the City of Hannover',
  'home.lead': 'All official social-media presences of the City of Hannover in one place.',
  'home.about':
    "The city's departments, offices and municipal enterprises run their own presences on social networks. Each presence is requested under the city's service directive on official social-media offerings and approved by the head of the unit, the press and information office, data protection and the Hannover.de editorial team. Only approved presences appear in this register.",
  'home.verifyHint': 'Not sure whether an account really belongs to the city? Check it with "Verify an account".',
  'home.staffHint': 'For staff: request and approve presences in the staff area.',

  'signIn.title': 'Sign in',
  'signIn.lead': 'Sign in with your city user name and password.',
  'signIn.username': 'User name',
  'signIn.usernameHint': 'Your Windows sign-in, for example "jsmith".',
  'signIn.password': 'Password',
  'signIn.submit': 'Sign in',
  'signIn.signedOut': 'You have signed out.',
  'formKept.title': 'Your entries are safe',
  'formKept.lead':
    'The form arrived after your session had ended, so it has not been processed yet. Nothing is lost: send your entries again now.',
  'formKept.sentAt': 'Originally sent: {time}',
  'formKept.send': 'Send entries now',
  'formKept.saveDraft': 'Just save as a draft',
  'formKept.show': 'View the kept entries',
  'formKept.discard': 'Discard and go to “My tasks”',
  'formKept.signInNotice':
    'Your session has expired. Your entries are safe: sign in again, then you can send them once more.',
  'formKept.signInAgain': 'The sign-in page had expired. Your entries are still safe: please sign in.',
  'session.hint':
    'For security, you are signed out after {minutes} minutes without saving. Your entries are not lost: after signing in again you can send them once more.',
  'session.warning.title': 'You will be signed out shortly',
  'session.warning.idle':
    'For security, your session ends after {minutes} minutes without activity – in about two minutes. Do you want to stay signed in?',
  'session.warning.max':
    'Your sign-in ends after {hours} hours and cannot be extended. Save your entries now, for example as a draft.',
  'session.warning.ended':
    'Your session has expired. Your entries on this page are kept: when you send the form, you sign in again and can then send it once more.',
  'session.warning.stay': 'Stay signed in',
  'session.warning.close': 'Close',
  'signIn.sessionRequired': 'Please sign in to use the staff area.',
  'signIn.error.usernameMissing': 'Enter your user name.',
  'signIn.error.usernameInvalid': 'The user name may only contain letters, digits, dot, hyphen and underscore.',
  'signIn.error.passwordMissing': 'Enter your password.',
  'signIn.error.invalid': 'The user name or password is wrong.',
  'signIn.error.rateLimited': 'Too many failed sign-in attempts. Please wait {minutes} minutes and try again.',
  'signIn.error.directoryDown':
    "The city's directory cannot be reached right now. Your details are not wrong – please try again in a few minutes.",
  'signIn.demoUsers': 'Test accounts in the demo directory',
  'signIn.demoUsersHint': 'Every test account has the password "demo".',

  'intern.title': 'My tasks',
  'intern.welcome': 'Welcome, {name}',
  'intern.profile': 'Your profile',
  'intern.uid': 'User name',
  'intern.unit': 'Organisational unit',
  'intern.roles': 'Roles',
  'intern.noUnit': 'none given',

  'role.employee': 'Employee',
  'role.unit_head': 'Head of an organisational unit',
  'role.communications': 'Communications (press and information office)',
  'role.data_protection': 'Data protection',
  'role.hannoverde': 'Hannover.de editorial team',
  'role.staff_council': 'Staff council',
  'role.admin': 'Administration',

  'errors.summaryTitle': 'Please correct the following:',
  'errors.titlePrefix': 'Error: {title}',
  'error.title.400': 'The request is not valid',
  'error.text.400':
    'The address or the details sent are incomplete or invalid. Please check the address or go back to the previous page.',
  'error.title.403': 'Access denied',
  'error.text.403':
    'You are not allowed to open this page or do this. If you think this is a mistake, contact the administrators of the Social Media Register.',
  'error.title.csrf': 'The form has expired',
  'error.text.csrf': 'For your security the form was not processed. Please reload the page and send the form again.',
  'error.title.404': 'Page not found',
  'error.text.404': 'There is no page at this address. The address may be misspelt or the page may have moved.',
  'error.title.413': 'The file is too large',
  'error.text.413': 'The data sent exceeds the permitted size.',
  'error.title.429': 'Too many requests',
  'error.text.429': 'Please wait a moment and try again.',
  'error.title.500': 'A technical error occurred',
  'error.text.500':
    'Sorry, something went wrong while processing your request. Nothing you entered was saved. Please try again later.',
  'error.title.503': 'The service is temporarily unavailable',
  'error.text.503':
    'The Social Media Register cannot be reached right now, for example because of maintenance. Nothing you entered was saved. Please try again in a few minutes.',
  'error.reference': 'Error reference: {id}',
  'error.backHome': 'Go to the home page',

  'legal.imprint.title': 'Imprint',
  'legal.privacy.title': 'Privacy notice',
  'legal.accessibility.title': 'Accessibility statement',
};
