import type { Keys } from '../../i18n/keys';

/**
 * German message catalogue (the default language). Gender-inclusive with the asterisk
 * ("Redakteur*innen"), as the city's guidance asks. Keys are shared with en.ts, whose type
 * makes a missing English text a compile error.
 */
export const de = {
  'site.city': 'Landeshauptstadt Hannover',
  'site.service': 'Social-Media-Register',
  'site.homeLink': 'Social-Media-Register, zur Startseite',
  'nav.skip': 'Zum Inhalt springen',
  'nav.main': 'Hauptnavigation',
  'nav.overview': 'Übersicht',
  'nav.verify': 'Account prüfen',
  'nav.internal': 'Interner Bereich',
  'nav.admin': 'Verwaltung',
  'nav.signIn': 'Anmelden',
  'nav.signOut': 'Abmelden',
  'nav.language': 'Sprache',
  'nav.switchLanguage': 'English',
  'nav.switchLanguageLabel': 'This page in English',
  'nav.signedInAs': 'Angemeldet als {name}',
  'footer.legal': 'Rechtliches',
  'footer.imprint': 'Impressum',
  'footer.privacy': 'Datenschutzerklärung',
  'footer.accessibility': 'Erklärung zur Barrierefreiheit',
  'footer.operator': 'Ein Angebot der {name}',
  'demo.banner':
    'Demo-Verzeichnis aktiv: Die Anmeldung erfolgt gegen fest eingebaute Testkonten (Passwort „demo“). Nicht für den Echtbetrieb.',

  'home.title': 'Social Media der Landeshauptstadt Hannover',
  'home.lead': 'Hier finden Sie alle offiziellen Social-Media-Auftritte der Landeshauptstadt Hannover an einem Ort.',
  'home.about':
    'Fachbereiche, Ämter und Betriebe der Stadt betreiben eigene Auftritte in sozialen Netzwerken. Jeder Auftritt wird nach der Allgemeinen Dienstanweisung für dienstliche Social-Media-Angebote beantragt und von der Leitung der Organisationseinheit, dem Presse- und Informationsamt, dem Datenschutz und der Redaktion Hannover.de freigegeben. Nur freigegebene Auftritte erscheinen in diesem Register.',
  'home.verifyHint':
    'Sie sind unsicher, ob ein Account wirklich zur Stadt gehört? Prüfen Sie ihn mit „Account prüfen“.',
  'home.staffHint': 'Für Beschäftigte: Auftritte beantragen und freigeben im internen Bereich.',

  'signIn.title': 'Anmelden',
  'signIn.lead': 'Melden Sie sich mit Ihrer städtischen Benutzerkennung und Ihrem Passwort an.',
  'signIn.username': 'Benutzerkennung',
  'signIn.usernameHint': 'Ihre Windows-Anmeldung, zum Beispiel „mmustermann“.',
  'signIn.password': 'Passwort',
  'signIn.submit': 'Anmelden',
  'signIn.signedOut': 'Sie haben sich abgemeldet.',
  'formKept.title': 'Ihre Eingaben sind gesichert',
  'formKept.lead':
    'Das Formular kam nach dem Ende Ihrer Sitzung an und wurde deshalb noch nicht verarbeitet. Verloren ist nichts: Senden Sie Ihre Eingaben jetzt noch einmal.',
  'formKept.sentAt': 'Ursprünglich gesendet: {time}',
  'formKept.send': 'Eingaben jetzt senden',
  'formKept.saveDraft': 'Nur als Entwurf speichern',
  'formKept.show': 'Gesicherte Eingaben ansehen',
  'formKept.discard': 'Verwerfen und zu „Meine Aufgaben“',
  'formKept.signInNotice':
    'Ihre Sitzung ist abgelaufen. Ihre Eingaben sind gesichert: Melden Sie sich erneut an, danach können Sie sie noch einmal senden.',
  'formKept.signInAgain':
    'Die Anmeldeseite war abgelaufen. Ihre Eingaben sind weiterhin gesichert: Bitte melden Sie sich an.',
  'session.hint':
    'Nach {minutes} Minuten ohne Speichern werden Sie aus Sicherheitsgründen abgemeldet. Ihre Eingaben gehen dabei nicht verloren: Nach der erneuten Anmeldung können Sie sie noch einmal senden.',
  'session.warning.title': 'Sie werden gleich abgemeldet',
  'session.warning.idle':
    'Aus Sicherheitsgründen endet Ihre Sitzung nach {minutes} Minuten ohne Aktivität – in etwa zwei Minuten. Möchten Sie angemeldet bleiben?',
  'session.warning.max':
    'Ihre Anmeldung endet nach {hours} Stunden und lässt sich nicht verlängern. Speichern Sie Ihre Eingaben jetzt, etwa als Entwurf.',
  'session.warning.ended':
    'Ihre Sitzung ist abgelaufen. Ihre Eingaben auf dieser Seite bleiben erhalten: Wenn Sie das Formular absenden, melden Sie sich erneut an und können es dann noch einmal senden.',
  'session.warning.stay': 'Angemeldet bleiben',
  'session.warning.close': 'Schließen',
  'signIn.sessionRequired': 'Bitte melden Sie sich an, um den internen Bereich zu nutzen.',
  'signIn.error.usernameMissing': 'Geben Sie Ihre Benutzerkennung ein.',
  'signIn.error.usernameInvalid':
    'Die Benutzerkennung darf nur Buchstaben, Ziffern, Punkt, Bindestrich und Unterstrich enthalten.',
  'signIn.error.passwordMissing': 'Geben Sie Ihr Passwort ein.',
  'signIn.error.invalid': 'Benutzerkennung oder Passwort ist falsch.',
  'signIn.error.rateLimited':
    'Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie {minutes} Minuten und versuchen Sie es dann erneut.',
  'signIn.error.directoryDown':
    'Das Verzeichnis der Stadtverwaltung ist gerade nicht erreichbar. Ihre Angaben sind nicht falsch – bitte versuchen Sie es in einigen Minuten erneut.',
  'signIn.demoUsers': 'Testkonten im Demo-Verzeichnis',
  'signIn.demoUsersHint': 'Alle Testkonten haben das Passwort „demo“.',

  'intern.title': 'Meine Aufgaben',
  'intern.welcome': 'Willkommen, {name}',
  'intern.profile': 'Ihr Profil',
  'intern.uid': 'Benutzerkennung',
  'intern.unit': 'Organisationseinheit',
  'intern.roles': 'Rollen',
  'intern.noUnit': 'keine angegeben',

  'role.employee': 'Beschäftigte*r',
  'role.unit_head': 'Leitung einer Organisationseinheit',
  'role.communications': 'Kommunikation (Presse- und Informationsamt)',
  'role.data_protection': 'Datenschutz',
  'role.hannoverde': 'Redaktion Hannover.de',
  'role.staff_council': 'Personalrat',
  'role.admin': 'Administration',

  'errors.summaryTitle': 'Bitte korrigieren Sie folgende Angaben:',
  'errors.titlePrefix': 'Fehler: {title}',
  'error.title.400': 'Die Anfrage ist fehlerhaft',
  'error.text.400':
    'Die Adresse oder die übermittelten Angaben sind unvollständig oder ungültig. Bitte prüfen Sie die Adresse oder kehren Sie zur vorherigen Seite zurück.',
  'error.title.403': 'Kein Zugriff',
  'error.text.403':
    'Sie haben keine Berechtigung für diese Seite oder Aktion. Wenn Sie meinen, dass das ein Fehler ist, wenden Sie sich an die Administration des Social-Media-Registers.',
  'error.title.csrf': 'Das Formular ist abgelaufen',
  'error.text.csrf':
    'Aus Sicherheitsgründen wurde das Formular nicht verarbeitet. Bitte laden Sie die Seite neu und senden Sie das Formular noch einmal ab.',
  'error.title.404': 'Seite nicht gefunden',
  'error.text.404':
    'Unter dieser Adresse gibt es keine Seite. Vielleicht ist die Adresse falsch geschrieben oder die Seite wurde verschoben.',
  'error.title.413': 'Die Datei ist zu groß',
  'error.text.413': 'Die übermittelten Daten überschreiten die zulässige Größe.',
  'error.title.429': 'Zu viele Anfragen',
  'error.text.429': 'Bitte warten Sie einen Moment und versuchen Sie es dann erneut.',
  'error.title.500': 'Ein technischer Fehler ist aufgetreten',
  'error.text.500':
    'Es tut uns leid, bei der Bearbeitung ist ein Fehler aufgetreten. Ihre Eingaben wurden nicht gespeichert. Bitte versuchen Sie es später noch einmal.',
  'error.title.503': 'Der Dienst ist vorübergehend nicht verfügbar',
  'error.text.503':
    'Das Social-Media-Register ist gerade nicht erreichbar, zum Beispiel wegen Wartungsarbeiten. Ihre Eingaben wurden nicht gespeichert. Bitte versuchen Sie es in einigen Minuten erneut.',
  'error.reference': 'Fehlerkennung: {id}',
  'error.backHome': 'Zur Startseite',

  'legal.imprint.title': 'Impressum',
  'legal.privacy.title': 'Datenschutzerklärung',
  'legal.accessibility.title': 'Erklärung zur Barrierefreiheit',
} as const;

export type CoreKey = keyof typeof de;

declare module '../../i18n/keys' {
  // the core texts register their keys like every feature (see src/i18n/keys.ts)
  interface MessageRegistry extends Keys<typeof de> {}
}
